import { customElement } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import { ReadOnlyView } from '../placeholder-view.js';

/** Remote Service → property dialog (SPEC F3). */
@localized()
@customElement('ors-remote-service-dialog')
export class RemoteServiceDialog extends ReadOnlyView {
  override render() {
    return this.body(msg('Remote Service', { id: 'remote.title' }), [
      msg('The remote service is disabled: there is no connection to the back office.', { id: 'remote.disabled' }),
      msg('Automatic license update and remote assistance are configured here.', { id: 'remote.hint' }),
    ]);
  }
}
