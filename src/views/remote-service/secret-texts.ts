import { msg } from '@lit/localize';

/** The texts of a write-only secret field in the Remote Service dialog. */
export function secretTexts(): { set: string; change: string; hint: string } {
  return {
    set: msg('Set (not shown).', { id: 'remote.secret.set' }),
    change: msg('Change…', { id: 'remote.secret.change' }),
    hint: msg('Case-sensitive.', { id: 'remote.secret.caseSensitive' }),
  };
}
