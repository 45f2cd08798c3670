import { customElement } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import { ReadOnlyView } from '../placeholder-view.js';

/** Licenses → property dialog (SPEC F2). */
@localized()
@customElement('ors-licenses-dialog')
export class LicensesDialog extends ReadOnlyView {
  override render() {
    return this.body(msg('Licenses', { id: 'licenses.title' }), [
      msg('No license server is selected yet.', { id: 'licenses.none' }),
      msg('Select the floating license server to see the serial number, license expiry, maintenance period, features and users.', {
        id: 'licenses.hint',
      }),
    ]);
  }
}
