/**
 * Reading the stored settings: each part with the schema's defaults for what is missing (a file may
 * predate a field). Node-side readers (plugin, ORS service, command line); the views get views.
 */
import { Value } from '@sinclair/typebox/value';
import {
  OrsAccountSchema,
  RemoteAssistanceSettingsSchema,
  RemoteServiceSettingsSchema,
  LicenseServerSelectionSchema,
  type LicenseServerSelection,
  type OrsAccount,
  type RemoteAssistanceSettings,
  type RemoteServiceSettings,
} from './plugin-settings.js';

type Values = Readonly<Record<string, unknown>>;

/** The Remote Service part with every default filled in. */
export function readRemoteService(values: Values): RemoteServiceSettings {
  const stored = values['remoteService'];
  return Value.Default(RemoteServiceSettingsSchema, structuredClone(stored && typeof stored === 'object' ? stored : {})) as RemoteServiceSettings;
}

/** The ORS service account; Local System unless another account is stored completely. */
export function readOrsAccount(values: Values): OrsAccount {
  const v = values['orsAccount'];
  return Value.Check(OrsAccountSchema, v) ? v : { kind: 'localSystem' };
}

/** The selected license server, if one is stored. */
export function readSelection(values: Values): LicenseServerSelection | undefined {
  const v = values['licenseServer'];
  return Value.Check(LicenseServerSelectionSchema, v) ? v : undefined;
}

export function readRemoteAssistance(values: Values): RemoteAssistanceSettings {
  const v = values['remoteAssistance'];
  return Value.Check(RemoteAssistanceSettingsSchema, v) ? v : {};
}
