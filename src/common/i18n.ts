import type { ErrorInfo, Message, MessageParam, MessageParams } from './errors.js';
import { formatDate, formatDateTime, formatDuration, formatExpiry, formatList, formatNumber, formatRelative, languageTag, type FormatOptions } from './format/formatter.js';

export const LOCALES = ['en', 'de'] as const;
export type Locale = (typeof LOCALES)[number];

/** A catalogue maps message codes to their text in every supported language. */
export type Catalogue = Readonly<Record<string, Readonly<Record<Locale, string>>>>;

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

/** Picks the first supported language from a list such as navigator.languages or LANG. */
export function pickLocale(candidates: readonly (string | undefined)[]): Locale {
  for (const c of candidates) {
    const lang = c?.toLowerCase().split(/[-_.]/)[0];
    if (isLocale(lang)) return lang;
  }
  return 'en';
}

/** Options of formatting: "now" and the time zone for dates (the runtime's local zone by default). */
export type FormatContext = FormatOptions;

/**
 * Fills a template's placeholders: `{name}` as given, `{name:type}` through the one formatter —
 * date, datetime, expiry ("never"/"unbefristet"), relative ("in 17 Tagen"), duration, number,
 * list (a list of messages as the language joins them), cause (a technical code such as
 * ECONNREFUSED or NT_STATUS_LOGON_FAILURE as words, the code kept in brackets) — and
 * `{name:plural|one|other}` with `#` for the number. A parameter that is a message is formatted in
 * the same language; a list of messages is joined with "; ". Unknown placeholders stay visible.
 */
export function interpolate(template: string, params: MessageParams = {}, locale: Locale = 'en', lookup: (code: string, params?: MessageParams) => string | undefined = () => undefined, o: FormatContext = {}): string {
  const render = (v: MessageParam): string => {
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    if (Array.isArray(v)) return (v as readonly Message[]).map(render).join('; ');
    const m = v as Message;
    return lookup(m.code, m.params) ?? m.code;
  };
  return template.replace(/\{(\w+)(?::([\w]+)((?:\|[^|}]*)*))?\}/g, (whole, key: string, type: string | undefined, rest: string | undefined) => {
    if (!Object.prototype.hasOwnProperty.call(params, key)) return whole;
    const v = params[key]!;
    switch (type) {
      case undefined:
        return render(v);
      case 'date':
        return formatDate(locale, String(v), o);
      case 'datetime':
        return formatDateTime(locale, typeof v === 'number' ? v : String(v), o);
      case 'expiry':
        return formatExpiry(locale, String(v), o);
      case 'relative':
        return formatRelative(locale, typeof v === 'number' ? v : String(v), o);
      case 'duration':
        return formatDuration(locale, Number(v));
      case 'number':
        return formatNumber(locale, Number(v));
      case 'list':
        return formatList(locale, (Array.isArray(v) ? (v as readonly Message[]) : [v as Message]).map(render));
      case 'cause': {
        const code = String(v);
        const words = lookup(`cause.${code}`);
        return words === undefined ? code : `${words} (${code})`;
      }
      case 'plural': {
        const [one = '', other = ''] = (rest ?? '').slice(1).split('|');
        const n = Number(v);
        const form = new Intl.PluralRules(languageTag(locale)).select(n) === 'one' ? one : other;
        return form.replace(/#/g, formatNumber(locale, n));
      }
      default:
        return whole;
    }
  });
}

/** The placeholder names of a template (each once, sorted), for the two-language check. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(/\{(\w+)(?::[^}]*)?\}/g)].map((m) => m[1]!))].sort();
}

/** Joins catalogues; a code defined twice is a programming error. */
export function mergeCatalogues(...catalogues: Catalogue[]): Catalogue {
  const out: Record<string, Readonly<Record<Locale, string>>> = {};
  for (const c of catalogues) {
    for (const [code, texts] of Object.entries(c)) {
      if (code in out) throw new Error(`duplicate message code ${code}`);
      out[code] = texts;
    }
  }
  return out;
}

export class MessageCatalogue {
  private readonly entries = new Map<string, Readonly<Record<Locale, string>>>();

  constructor(...catalogues: Catalogue[]) {
    for (const c of catalogues) this.add(c);
  }

  add(c: Catalogue): void {
    for (const [code, texts] of Object.entries(c)) {
      if (this.entries.has(code)) throw new Error(`duplicate message code ${code}`);
      this.entries.set(code, texts);
    }
  }

  has(code: string): boolean {
    return this.entries.has(code);
  }

  codes(): string[] {
    return [...this.entries.keys()];
  }

  format(locale: Locale, code: string, params?: MessageParams, o: FormatContext = {}): string {
    const texts = this.entries.get(code);
    if (!texts) return params && Object.keys(params).length ? `${code} ${JSON.stringify(params)}` : code;
    return interpolate(texts[locale], params, locale, (c, p) => (this.entries.has(c) ? this.format(locale, c, p, o) : undefined), o);
  }

  /** A message (or an error) in the given language. */
  formatMessage(locale: Locale, m: Message, o: FormatContext = {}): string {
    return this.format(locale, m.code, m.params, o);
  }

  formatError(locale: Locale, e: ErrorInfo): string {
    return this.format(locale, e.code, e.params);
  }
}
