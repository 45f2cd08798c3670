import { configureLocalization } from '@lit/localize';

/** Configures @lit/localize for a view's German templates; returns a switch that also sets <html lang>. */
export function localeSwitch(german: Readonly<Record<string, unknown>>): (l: 'en' | 'de') => Promise<void> {
  const { setLocale } = configureLocalization({
    sourceLocale: 'en',
    targetLocales: ['de'],
    loadLocale: async () => ({ templates: german }) as never,
  });
  return async (l) => {
    document.documentElement.lang = l;
    await setLocale(l);
  };
}
