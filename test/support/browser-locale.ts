import { configureLocalization } from '@lit/localize';
import { hostCatalogue } from '../../src/common/messages/host-catalogue.js';
import { pluginCatalogue } from '../../src/common/messages/index.js';
import { setArrivedCatalogue, setOwnCatalogue } from '../../src/elements/l10n.js';

// The page's catalogue as the console builds it: its own (the host's) plus the plugin's, which the
// host sends after the plugin registered it through its context.
setOwnCatalogue(hostCatalogue);
setArrivedCatalogue(pluginCatalogue);

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
