import { configureLocalization } from '@lit/localize';
import type { LocalizedText } from '../../common/console-protocol.js';
import { LOCALES, isLocale, pickLocale, type Locale } from '../../common/i18n.js';
import { messages } from '../../common/messages/index.js';
import { templates as hostGerman } from './locales/de.js';

type Templates = Record<string, unknown>;
const extra: Record<Locale, Templates> = { en: {}, de: {} };
const STORAGE_KEY = 'ors.locale';

/** Plugins add their translations before the first render or a language switch. */
export function addTemplates(locale: Locale, templates: Readonly<Templates>): void {
  Object.assign(extra[locale], templates);
}

export const { getLocale, setLocale } = configureLocalization({
  sourceLocale: 'en',
  targetLocales: LOCALES.filter((l) => l !== 'en'),
  loadLocale: async (locale) => ({ templates: { ...hostGerman, ...extra.de } as never, locale }) as never,
});

export function currentLocale(): Locale {
  const l = getLocale();
  return isLocale(l) ? l : 'en';
}

/** The language to start with: the one chosen in the View menu before, else the browser's. */
export function initialLocale(): Locale {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  return isLocale(saved) ? saved : pickLocale([...(globalThis.navigator?.languages ?? [])]);
}

export async function switchLocale(locale: Locale): Promise<void> {
  globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  await setLocale(locale);
  document.documentElement.lang = locale;
}

/** Renders a LocalizedText in the current language. */
export function text(t: LocalizedText | undefined): string {
  if (t === undefined) return '';
  if (typeof t === 'string') return t;
  const locale = currentLocale();
  if ('code' in t && typeof t.code === 'string') return messages.format(locale, t.code, (t as { params?: Record<string, string | number> }).params);
  const texts = t as Partial<Record<Locale, string>>;
  return texts[locale] ?? texts.en ?? '';
}

export function errorText(e: unknown): string {
  const info = e as { code?: unknown; params?: Record<string, string | number> };
  if (info && typeof info.code === 'string') return messages.format(currentLocale(), info.code, info.params);
  return e instanceof Error ? e.message : String(e);
}
