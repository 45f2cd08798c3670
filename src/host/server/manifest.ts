import { Ajv } from 'ajv';
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import semver from 'semver';
import { CodedError } from '../../common/errors.js';
import type { LocalizedText } from '../../common/console-protocol.js';
import { HOST_API_VERSION } from '../../common/version.js';
import { describeAjvError } from '../../services/settings/settings-store.js';
import manifestSchema from '../../../schema/manifest.schema.json' with { type: 'json' };

/** The manifest as validated by schema/manifest.schema.json. */
export interface Manifest {
  readonly id: string;
  readonly version: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly engines: { readonly host: string };
  readonly main: string;
  readonly browser?: string;
  readonly activationEvents: readonly string[];
  readonly contributes: {
    readonly nodes?: readonly { id: string; label: string; icon?: string; parent?: string; nodeType: string; columns?: readonly { id: string; label: string }[] }[];
    readonly commands?: readonly { id: string; title: string }[];
    readonly menus?: { readonly context?: readonly MenuEntry[]; readonly action?: readonly MenuEntry[] };
    readonly views?: readonly { nodeType: string; element: string; title: string }[];
    readonly settings?: object;
    readonly about?: readonly { id: string; title: string }[];
  };
  readonly l10n?: { readonly en: Record<string, string>; readonly de: Record<string, string> };
}

export interface MenuEntry {
  readonly command: string;
  readonly when?: string;
  readonly group?: string;
}

const validateSchema = new Ajv({ allErrors: false, strict: false }).compile(manifestSchema);

/** Reads and checks a plugin manifest; every problem is a CodedError with the offending field. */
export async function loadManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, 'manifest.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new CodedError('plugin.manifest-unreadable', { path: file, reason: e instanceof Error ? e.message : String(e) });
  }
  if (!validateSchema(raw)) {
    const { field, reason } = describeAjvError(validateSchema.errors);
    throw new CodedError('plugin.manifest-invalid', { field: field || '(root)', reason }, { field });
  }
  const m = raw as unknown as Manifest;
  checkManifest(m);
  try {
    await stat(path.resolve(dir, m.main));
  } catch {
    throw new CodedError('plugin.main-missing', { path: m.main }, { field: 'main' });
  }
  return m;
}

/** Cross-field rules a JSON Schema cannot express. */
export function checkManifest(m: Manifest): void {
  if (!semver.validRange(m.engines.host)) {
    throw new CodedError('plugin.manifest-invalid', { field: 'engines.host', reason: 'not a semver range' }, { field: 'engines.host' });
  }
  if (!semver.satisfies(HOST_API_VERSION, m.engines.host)) {
    throw new CodedError('plugin.engine-mismatch', { required: m.engines.host, actual: HOST_API_VERSION }, { field: 'engines.host' });
  }
  const c = m.contributes;
  const nodeIds = unique(c.nodes?.map((n) => n.id) ?? [], 'contributes.nodes');
  const commandIds = unique(c.commands?.map((x) => x.id) ?? [], 'contributes.commands');
  const nodeTypes = new Set(c.nodes?.map((n) => n.nodeType));
  c.nodes?.forEach((n, i) => {
    if (n.parent !== undefined && !nodeIds.has(n.parent)) {
      throw new CodedError('plugin.unknown-reference', { field: `contributes.nodes.${i}.parent`, value: n.parent }, { field: `contributes.nodes.${i}.parent` });
    }
  });
  c.views?.forEach((v, i) => {
    if (!nodeTypes.has(v.nodeType)) {
      throw new CodedError('plugin.unknown-reference', { field: `contributes.views.${i}.nodeType`, value: v.nodeType }, { field: `contributes.views.${i}.nodeType` });
    }
  });
  for (const kind of ['context', 'action'] as const) {
    c.menus?.[kind]?.forEach((e, i) => {
      if (!commandIds.has(e.command)) {
        throw new CodedError('plugin.unknown-reference', { field: `contributes.menus.${kind}.${i}.command`, value: e.command }, { field: `contributes.menus.${kind}.${i}.command` });
      }
    });
  }
  for (const ev of m.activationEvents) {
    const [kind, arg] = ev.split(':');
    if (kind === 'onNode' && !nodeIds.has(arg!)) throw new CodedError('plugin.unknown-reference', { field: 'activationEvents', value: ev }, { field: 'activationEvents' });
    if (kind === 'onCommand' && !commandIds.has(arg!)) throw new CodedError('plugin.unknown-reference', { field: 'activationEvents', value: ev }, { field: 'activationEvents' });
  }
  for (const text of manifestTexts(m)) {
    const key = /^%(.+)%$/.exec(text)?.[1];
    if (!key) continue;
    for (const locale of ['en', 'de'] as const) {
      if (m.l10n?.[locale]?.[key] === undefined) throw new CodedError('plugin.l10n-missing', { key, locale }, { field: `l10n.${locale}` });
    }
  }
}

function unique(ids: readonly string[], field: string): Set<string> {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new CodedError('plugin.duplicate-id', { field, value: id }, { field });
    seen.add(id);
  }
  return seen;
}

function manifestTexts(m: Manifest): string[] {
  const c = m.contributes;
  return [
    ...(m.displayName ? [m.displayName] : []),
    ...(c.nodes ?? []).flatMap((n) => [n.label, ...(n.columns ?? []).map((x) => x.label)]),
    ...(c.commands ?? []).map((x) => x.title),
    ...(c.views ?? []).map((v) => v.title),
    ...(c.about ?? []).map((a) => a.title),
  ];
}

/** Resolves a manifest string: `%key%` becomes its English and German text, anything else stays as is. */
export function localize(m: Manifest, text: string): LocalizedText {
  const key = /^%(.+)%$/.exec(text)?.[1];
  if (!key || !m.l10n) return text;
  return { en: m.l10n.en[key] ?? text, de: m.l10n.de[key] ?? text };
}
