import * as path from 'node:path';
import { PLUGIN_ID } from '../common/remote-service/model.js';
import { jsonSchemaOf, PluginSettingsSchema } from '../common/settings/plugin-settings.js';
import { AuditTrail } from '../services/settings/audit-trail.js';
import { SecretStore } from '../services/settings/secret-store.js';
import { SettingsStore } from '../services/settings/settings-store.js';

export interface PluginStores {
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
  readonly audit: AuditTrail;
  /** The plugin's own folder under the data directory. */
  readonly pluginDir: string;
}

/** The same files the console uses: <data-dir>/settings/<plugin>.json, <data-dir>/secrets, <data-dir>/audit.log. */
export async function openPluginStores(dataDir: string): Promise<PluginStores> {
  const audit = new AuditTrail(path.join(dataDir, 'audit.log'));
  const settings = await SettingsStore.open(path.join(dataDir, 'settings'), PLUGIN_ID, jsonSchemaOf(PluginSettingsSchema), audit);
  const secrets = await SecretStore.open(path.join(dataDir, 'secrets'), audit);
  return { settings, secrets, audit, pluginDir: path.join(dataDir, 'plugins', PLUGIN_ID) };
}
