import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CodedError } from '../common/errors.js';
import { pickLocale, type Locale } from '../common/i18n.js';
import { messages } from '../common/messages/index.js';
import type { DiagnosticReport } from '../common/proxy/diagnostic.js';
import { PROXY_MODES, validateProxySettings, type ProxyMode, type ProxySettings } from '../common/proxy/settings.js';
import { runDiagnostic, type DiagnosticOptions } from '../services/proxy/diagnostic.js';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { PLUGIN_ID, SECRET_NAMES, type RemoteServiceProxy, type RemoteServiceSettings } from '../common/remote-service/model.js';
import { defaultDataDir } from './data-dir.js';
import { openPluginStores } from './plugin-stores.js';

interface DiagnoseFlags {
  dataDir?: string;
  proxyMode?: string;
  proxy?: string;
  proxyUser?: string;
  proxyPasswordStdin?: boolean;
  proxyDomain?: string;
  ca?: string;
  json?: boolean;
  timeout?: string;
}

const locale: Locale = pickLocale([process.env['LC_ALL'], process.env['LC_MESSAGES'], process.env['LANG']]);

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

/** What the console saved, as defaults for the flags: back-office URL, proxy, CA file, proxy password. */
export interface SavedDefaults {
  readonly url?: string;
  readonly proxy?: RemoteServiceProxy;
  readonly caFile?: string;
  readonly proxyPassword?: string;
}

/** Reads the Remote Service settings and the proxy password the console saved in `dataDir`, if any. */
export async function savedDefaults(dataDir: string): Promise<SavedDefaults> {
  if (!existsSync(path.join(dataDir, 'settings', `${PLUGIN_ID}.json`))) return {};
  const stores = await openPluginStores(dataDir);
  const rs = (stores.settings.get().values['remoteService'] ?? {}) as Partial<RemoteServiceSettings>;
  const proxyPassword = await stores.secrets.forPlugin(PLUGIN_ID).get(SECRET_NAMES.proxyPassword);
  stores.settings.close();
  return {
    ...(rs.backofficeUrl ? { url: rs.backofficeUrl } : {}),
    ...(rs.proxy ? { proxy: rs.proxy } : {}),
    ...(rs.caFile ? { caFile: rs.caFile } : {}),
    ...(proxyPassword !== undefined ? { proxyPassword } : {}),
  };
}

/** Builds the diagnostic options from the command line; what it leaves out comes from the saved settings. */
export async function diagnoseOptionsFromFlags(urlArg: string | undefined, flags: DiagnoseFlags, saved: SavedDefaults = {}): Promise<DiagnosticOptions> {
  const url = urlArg ?? process.env['ORS_BACKOFFICE_URL'] ?? saved.url;
  // Saved proxy settings apply only when the command line names no proxy of its own.
  const useSaved = flags.proxyMode === undefined && flags.proxy === undefined && saved.proxy !== undefined;
  if (useSaved) {
    const sp = saved.proxy!;
    flags = {
      ...flags,
      proxyMode: sp.mode,
      ...(sp.mode === 'manual' && sp.host ? { proxy: `http://${sp.host.includes(':') ? `[${sp.host}]` : sp.host}:${sp.port ?? 80}` } : {}),
      ...(sp.authenticate && sp.username && flags.proxyUser === undefined ? { proxyUser: sp.username } : {}),
      ...(sp.authenticate && sp.domain && flags.proxyDomain === undefined ? { proxyDomain: sp.domain } : {}),
    };
  }
  if (flags.ca === undefined && saved.caFile) flags = { ...flags, ca: saved.caFile };
  if (!url) throw new CodedError('validation.required', { field: 'URL' }, { field: 'url' });
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error();
  } catch {
    throw new CodedError('diagnose.url-invalid', { url }, { field: 'url' });
  }
  let host = '';
  let port = 0;
  if (flags.proxy) {
    let p: URL;
    try {
      p = new URL(/^[a-z]+:\/\//i.test(flags.proxy) ? flags.proxy : `http://${flags.proxy}`);
    } catch {
      throw new CodedError('diagnose.proxy-url-invalid', { proxy: flags.proxy }, { field: 'proxy' });
    }
    // Secrets never on a command line: credentials in --proxy are refused (and not echoed back).
    if (p.protocol !== 'http:' || p.username || p.password) throw new CodedError('diagnose.proxy-url-invalid', { proxy: `${p.protocol}//${p.host}` }, { field: 'proxy' });
    host = p.hostname.replace(/^\[|\]$/g, '');
    port = p.port ? Number(p.port) : 80;
  }
  const mode = (flags.proxyMode ?? (flags.proxy ? 'manual' : 'none')) as ProxyMode;
  if (!PROXY_MODES.includes(mode)) throw new CodedError('validation.invalid', { field: '--proxy-mode', reason: String(flags.proxyMode) }, { field: 'proxy.mode' });
  const password = flags.proxyPasswordStdin ? await readStdinLine() : useSaved ? saved.proxyPassword : undefined;
  const proxy: ProxySettings = { mode, host, port, username: flags.proxyUser ?? '', domain: flags.proxyDomain ?? '', ...(password !== undefined ? { password } : {}) };
  const [first] = validateProxySettings(proxy);
  if (first) throw new CodedError(first.code, first.params ?? {}, first.field !== undefined ? { field: first.field } : {});
  const caPem = flags.ca ? await readFile(flags.ca, 'utf8') : undefined;
  const totalMs = flags.timeout ? Number(flags.timeout) * 1000 : undefined;
  return { url, proxy, ...(caPem ? { caPem } : {}), ...(totalMs && totalMs > 0 ? { deadlines: { totalMs } } : {}) };
}

/** Human-readable report lines in the given language. */
export function formatReport(report: DiagnosticReport, lang: Locale): string[] {
  const lines = [`${report.url}  (${report.mode}${report.source ? `, ${report.source}` : ''})`];
  for (const h of report.hops) {
    const mark = h.status === 'ok' ? 'ok  ' : h.status === 'failed' ? 'FAIL' : 'skip';
    const name = messages.format(lang, `diagnose.hop.${h.hop}`);
    const details = h.details ? ' ' + Object.entries(h.details).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(' ') : '';
    lines.push(`[${mark}] ${name}${h.target ? ` → ${h.target}` : ''} (${h.ms} ms)${details}`);
    for (const n of h.notes ?? []) lines.push(`       ${messages.formatError(lang, n)}`);
    if (h.error) lines.push(`       ${messages.formatError(lang, h.error)} [${h.error.code}]`);
    if (h.hint) lines.push(`       ${messages.format(lang, h.hint)}`);
  }
  const failed = report.hops.find((h) => h.status === 'failed');
  lines.push(failed ? messages.format(lang, 'diagnose.failed', { hop: messages.format(lang, `diagnose.hop.${failed.hop}`) }) : messages.format(lang, 'diagnose.ok'));
  return lines;
}

/** Registers the `ors` subcommands of this area. */
export function registerDiagnoseCommand(program: Command): void {
  program
    .command('diagnose')
    .description('Walk every hop to a URL (proxy resolution, TCP, CONNECT, TLS, HTTP) and say which one fails')
    .argument('[url]', 'target URL (default: $ORS_BACKOFFICE_URL, else the saved back-office address)')
    .option('--data-dir <dir>', 'take the defaults from the settings saved in this data directory', defaultDataDir())
    .option('--proxy-mode <mode>', 'none | auto | manual')
    .option('--proxy <url>', 'manual proxy, http://host:port (no credentials here)')
    .option('--proxy-user <user>', 'proxy user name')
    .option('--proxy-password-stdin', 'read the proxy password from the first line of standard input')
    .option('--proxy-domain <domain>', 'NTLM domain')
    .option('--ca <file>', 'custom CA bundle (PEM) for TLS-inspecting proxies')
    .option('--timeout <seconds>', 'deadline for the whole walk')
    .option('--json', 'print the report as JSON')
    .action(async (url: string | undefined, flags: DiagnoseFlags) => {
      const saved = flags.dataDir ? await savedDefaults(flags.dataDir) : {};
      const report = await runDiagnostic(await diagnoseOptionsFromFlags(url, flags, saved));
      if (flags.json) {
        const withText = {
          ...report,
          hops: report.hops.map((h) => ({
            ...h,
            ...(h.error ? { message: messages.formatError(locale, h.error) } : {}),
            ...(h.hint ? { hintText: { en: messages.format('en', h.hint), de: messages.format('de', h.hint) } } : {}),
          })),
        };
        process.stdout.write(JSON.stringify(withText, null, 2) + '\n');
      } else {
        process.stdout.write(formatReport(report, locale).join('\n') + '\n');
      }
      process.exitCode = report.ok ? 0 : 1;
    });
}
