import type { BrowserPluginContext } from '../common/browser-plugin-api.js';
import { licensesGerman } from './licenses/de.js';
import { remoteServiceGerman } from './remote-service/de.js';
import { remoteAssistanceGerman } from './remote-assistance/de.js';
import './licenses/licenses-dialog.js';
import './remote-assistance/remote-assistance-panel.js';
import './remote-service/remote-service-dialog.js';

/** Browser entry of the plugin: its views' translations; the elements define themselves on import. */
export function activate(context: BrowserPluginContext): void {
  context.addTemplates('de', { ...licensesGerman, ...remoteServiceGerman, ...remoteAssistanceGerman });
}
