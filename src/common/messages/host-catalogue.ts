import { mergeCatalogues, type Catalogue } from '../i18n.js';
import { coreMessages } from './core.js';
import { hostMessages } from './host.js';

/** The host's own catalogue: what the console bundles (plugins register theirs through their context). */
export const hostCatalogue: Catalogue = mergeCatalogues(coreMessages, hostMessages);
