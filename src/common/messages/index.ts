import { MessageCatalogue } from '../i18n.js';
import { coreMessages } from './core.js';
import { hostMessages } from './host.js';
import { licenseMessages } from './license.js';
import { proxyMessages } from './proxy.js';
import { backofficeMessages } from './backoffice.js';
import { shareMessages } from './share.js';
import { licensesUiMessages } from './licenses-ui.js';
import { remoteServiceMessages } from './remote-service.js';
import { remoteAssistanceMessages } from './remote-assistance.js';
import { orsMessages } from './ors.js';
import { licenseUpdateMessages } from './license-update.js';

/** The one place where every message code of the product gets its English and German text. */
export const messages = new MessageCatalogue(coreMessages, hostMessages, licenseMessages, proxyMessages, backofficeMessages, shareMessages, licensesUiMessages, remoteServiceMessages, orsMessages, remoteAssistanceMessages, licenseUpdateMessages);
