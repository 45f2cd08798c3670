import { configureLocalization } from '@lit/localize';
import { LOCALES, isLocale, pickLocale, type Locale } from '../common/i18n.js';
import { websiteCatalogue } from '../common/messages/website-catalogue.js';
import { setOwnCatalogue, uiLocale } from '../elements/l10n.js';
import { templates as german } from './locales/de.js';

const STORAGE_KEY = 'ors.website.locale';

// Coded texts (states, errors, the console's announcements) through the page catalogue, the
// elements' own labels through @lit/localize: the console's two mechanisms, nothing else.
setOwnCatalogue(websiteCatalogue);

const { getLocale, setLocale } = configureLocalization({
  sourceLocale: 'en',
  targetLocales: LOCALES.filter((l) => l !== 'en'),
  loadLocale: async () => ({ templates: german }) as never,
});

export function currentLocale(): Locale {
  const l = getLocale();
  return isLocale(l) ? l : uiLocale();
}

/** The language chosen before on this browser, else the browser's. */
export function initialLocale(): Locale {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  return isLocale(saved) ? saved : pickLocale([...(globalThis.navigator?.languages ?? [])]);
}

const TITLE: Readonly<Record<Locale, string>> = { en: 'Remote Service website', de: 'Remote-Service-Website' };

export async function switchLocale(locale: Locale): Promise<void> {
  globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
  document.title = TITLE[locale];
  await setLocale(locale);
}
