import { CodedError } from '../errors.js';

/**
 * SPEC §4: a license server serves one installation's serial number. A license for another serial
 * is refused, naming both — except the first license on an empty server, or when the
 * administrator explicitly chose to replace this installation's license (confirmed).
 */
export function serialBindingError(incoming: string, served: readonly string[], o: { readonly replaceInstallation?: boolean } = {}): CodedError | undefined {
  if (served.length === 0 || served.includes(incoming) || o.replaceInstallation === true) return undefined;
  return new CodedError('license.other-installation', { serial: incoming, installed: served.join(', ') });
}
