import { WebsiteApi } from './api.js';
import './app.js';
import { initialLocale, switchLocale } from './l10n.js';

/** Boots the website: the language first (coded texts and labels follow it), then the shell. */
async function boot(): Promise<void> {
  performance.mark('ors:boot');
  await switchLocale(initialLocale());
  const app = document.createElement('ors-website');
  app.api = new WebsiteApi();
  document.body.replaceChildren(app);
}

void boot();
