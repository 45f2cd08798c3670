import { configureLocalization } from '@lit/localize';
import { LOCALES, isLocale, pickLocale, type Locale } from '../../common/i18n.js';
import { hostCatalogue } from '../../common/messages/host-catalogue.js';
import { setOwnCatalogue, uiLocale } from '../../elements/l10n.js';
import { templates as hostGerman } from './locales/de.js';

export { errorText, text } from '../../elements/l10n.js';

type Templates = Record<string, unknown>;
const extra: Record<Locale, Templates> = { en: {}, de: {} };
const STORAGE_KEY = 'ors.locale';

// The console ships the host's catalogue only; the plugins' ones arrive from the host (catalogue$).
setOwnCatalogue(hostCatalogue);

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
  return isLocale(l) ? l : uiLocale();
}

/** The language to start with: the one chosen in the View menu before, else the browser's. */
export function initialLocale(): Locale {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  return isLocale(saved) ? saved : pickLocale([...(globalThis.navigator?.languages ?? [])]);
}

const TITLE: Readonly<Record<Locale, string>> = { en: 'Admin Console', de: 'Verwaltungskonsole' };

export async function switchLocale(locale: Locale): Promise<void> {
  globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  // The document's language first: coded texts follow it as soon as the elements re-render.
  document.documentElement.lang = locale;
  document.title = TITLE[locale];
  await setLocale(locale);
}
