import type { SelectionView } from '../../common/license-server/licenses-api.js';
import type { LicenseServerInput } from '../../common/license-server/selection.js';

/** The Select license server form as typed; every value a string so that what the administrator typed is kept. */
export interface FormState {
  kind: 'local' | 'remote';
  folder: string;
  flsUrl: string;
  host: string;
  port: string;
  share: string;
  smbPort: string;
  accountKind: 'localSystem' | 'other';
  accountUser: string;
  accountDomain: string;
}

export const EMPTY_FORM: FormState = { kind: 'local', folder: '', flsUrl: '', host: '', port: '', share: '', smbPort: '', accountKind: 'localSystem', accountUser: '', accountDomain: '' };

export function formOf(v: SelectionView | undefined): FormState {
  const s = v?.selection;
  const a = v?.account;
  const account = { accountKind: a?.kind ?? 'localSystem', accountUser: a?.kind === 'other' ? a.username : '', accountDomain: a?.kind === 'other' ? (a.domain ?? '') : '' } as const;
  if (!s) return { ...EMPTY_FORM, ...account };
  if (s.kind === 'local') return { ...EMPTY_FORM, ...account, kind: 'local', folder: s.folder, flsUrl: s.flsUrl ?? '' };
  return { ...EMPTY_FORM, ...account, kind: 'remote', host: s.host, port: String(s.port), share: s.share, smbPort: s.smbPort ? String(s.smbPort) : '' };
}

export function inputOf(f: FormState): LicenseServerInput {
  const account = { kind: f.accountKind, username: f.accountUser, domain: f.accountDomain };
  return f.kind === 'local' ? { kind: 'local', folder: f.folder, flsUrl: f.flsUrl, account } : { kind: 'remote', host: f.host, port: f.port, share: f.share, smbPort: f.smbPort, account };
}
