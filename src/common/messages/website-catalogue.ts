import { mergeCatalogues, type Catalogue } from '../i18n.js';
import { backofficeMessages } from './backoffice.js';
import { coreMessages } from './core.js';
import { licenseMessages } from './license.js';
import { licenseUpdateMessages } from './license-update.js';
import { orsMessages } from './ors.js';
import { websiteMessages } from './website.js';

/**
 * What the remote-service website ships: its own texts, the back office's codes, and the license
 * texts the customer's console announces with (the preview says it in the same words).
 */
export const websiteCatalogue: Catalogue = mergeCatalogues(coreMessages, backofficeMessages, licenseMessages, licenseUpdateMessages, orsMessages, websiteMessages);
