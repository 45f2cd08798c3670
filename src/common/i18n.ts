import type { ErrorInfo, MessageParams } from './errors.js';

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

/** Replaces `{name}` placeholders; unknown placeholders stay visible so a missing parameter is noticed. */
export function interpolate(template: string, params: MessageParams = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    Object.prototype.hasOwnProperty.call(params, key) ? String(params[key]) : whole,
  );
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

  format(locale: Locale, code: string, params?: MessageParams): string {
    const texts = this.entries.get(code);
    if (!texts) return params && Object.keys(params).length ? `${code} ${JSON.stringify(params)}` : code;
    return interpolate(texts[locale], params);
  }

  formatError(locale: Locale, e: ErrorInfo): string {
    return this.format(locale, e.code, e.params);
  }
}
