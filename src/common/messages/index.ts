import { mergeCatalogues, MessageCatalogue, type Catalogue } from '../i18n.js';
import { backofficeMessages } from './backoffice.js';
import { hostCatalogue } from './host-catalogue.js';
import { licenseMessages } from './license.js';
import { licenseUpdateMessages } from './license-update.js';
import { licensesUiMessages } from './licenses-ui.js';
import { orsMessages } from './ors.js';
import { proxyMessages } from './proxy.js';
import { remoteAssistanceMessages } from './remote-assistance.js';
import { remoteServiceMessages } from './remote-service.js';
import { shareCauseMessages } from './share-causes.js';
import { shareMessages } from './share.js';
import { websiteMessages } from './website.js';

/** The product plugin's catalogue (every code its services, plugin code and views speak), registered through its context. */
export const pluginCatalogue: Catalogue = mergeCatalogues(
  licenseMessages,
  proxyMessages,
  backofficeMessages,
  shareMessages,
  shareCauseMessages,
  licensesUiMessages,
  remoteServiceMessages,
  orsMessages,
  remoteAssistanceMessages,
  licenseUpdateMessages,
);

/** Everything, for the command line (which prints any code in the user's language) and the tests. */
export const messages = new MessageCatalogue(hostCatalogue, pluginCatalogue, websiteMessages);
