import { isIP, BlockList } from 'node:net';

/**
 * Bypass lists (NO_PROXY, Windows ProxyOverride, macOS ExceptionsList, GNOME ignore-hosts, KDE NoProxyFor).
 * Semantics, case-insensitive, entries separated by comma, semicolon or white space:
 * - `*` alone: every host goes direct.
 * - `example.com`: that host and every subdomain (label boundary: not `badexample.com`).
 * - `.example.com` or `*.example.com`: subdomains only.
 * - `10.0.0.0/8`, `fd00::/8`: IP literals inside the range (no DNS lookup); `10.1.2.3`: that address.
 * - `host:8443`: the entry applies to that port only.
 * - `<local>`: plain host names without a dot (Windows).
 * - other `*` patterns (`10.*`, `*corp*`): glob over the whole host name.
 */
export class BypassList {
  private readonly rules: readonly ((host: string, port: number) => boolean)[];

  constructor(readonly entries: readonly string[]) {
    this.rules = entries.map(compileEntry).filter((r): r is (host: string, port: number) => boolean => r !== undefined);
  }

  static parse(text: string | undefined): BypassList {
    return new BypassList((text ?? '').split(/[\s,;]+/).filter((e) => e !== ''));
  }

  matches(hostname: string, port: number): boolean {
    const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
    return this.rules.some((r) => r(host, port));
  }
}

function splitPort(entry: string): { pattern: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { pattern: bracketed[1]!, ...(bracketed[2] ? { port: Number(bracketed[2]) } : {}) };
  if (isIP(entry) === 6 || (entry.includes('/') && entry.split(':').length > 2)) return { pattern: entry };
  const m = /^(.*):(\d+)$/.exec(entry);
  return m ? { pattern: m[1]!, port: Number(m[2]) } : { pattern: entry };
}

function compileEntry(raw: string): ((host: string, port: number) => boolean) | undefined {
  const entry = raw.trim().toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/\/$/, '');
  if (entry === '') return undefined;
  if (entry === '*') return () => true;
  if (entry === '<local>') return (host) => !host.includes('.') && isIP(host) === 0;
  const { pattern, port } = splitPort(entry);
  const portOk = (p: number): boolean => port === undefined || port === p;
  const cidr = /^(.+)\/(\d{1,3})$/.exec(pattern);
  if (cidr) {
    const family = isIP(cidr[1]!);
    if (family === 0) return undefined;
    const list = new BlockList();
    const type = family === 6 ? 'ipv6' : 'ipv4';
    try {
      list.addSubnet(cidr[1]!, Number(cidr[2]), type);
    } catch {
      return undefined;
    }
    return (host, p) => portOk(p) && isIP(host) !== 0 && list.check(host, isIP(host) === 6 ? 'ipv6' : 'ipv4');
  }
  if (isIP(pattern)) return (host, p) => portOk(p) && host === pattern;
  if (pattern.startsWith('*.') && !pattern.slice(2).includes('*')) {
    const suffix = pattern.slice(1);
    return (host, p) => portOk(p) && host.endsWith(suffix);
  }
  if (pattern.startsWith('.') && !pattern.includes('*')) return (host, p) => portOk(p) && host.endsWith(pattern);
  if (pattern.includes('*')) {
    const re = new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
    return (host, p) => portOk(p) && re.test(host);
  }
  return (host, p) => portOk(p) && (host === pattern || host.endsWith('.' + pattern));
}

/** Loopback always goes direct, whatever the settings say. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h);
  return false;
}
