// The installation page's change log (issue 14 review, finding 6): an audit record's detail in the
// page's language — labels from the catalogue, words for states and reasons, local dates — never the
// stored keys, codes or ISO dates.
import { expect } from '@open-wc/testing';
import { render } from 'lit';
import { auditDetail } from '../../src/website/audit-detail.js';
import '../../src/website/l10n.js';

function shown(detail: Record<string, string | number | null>, lang: 'en' | 'de'): string {
  document.documentElement.lang = lang;
  const div = document.createElement('div');
  render(auditDetail(detail), div);
  document.documentElement.lang = 'en';
  return (div.textContent ?? '').replace(/\s+/g, ' ').trim();
}

describe('website: the change log speaks the page’s language', () => {
  it('an entitlement change: labels, local dates, "unbefristet", the revision; no stored keys', () => {
    const d = { seq: 3, maintenanceEnd: '2099-12-31 → 2027-02-01', expiry: 'perpetual → 2030-01-31', features: 'a,b → a', users: '5 → 7' };
    const de = shown(d, 'de');
    expect(de).to.equal('(Lizenzrevision: 3; Wartungsende: 31.12.2099 → 01.02.2027; Ablaufdatum: unbefristet → 31.01.2030; Funktionen: a, b → a; Benutzer: 5 → 7)');
    for (const raw of ['seq', 'maintenanceEnd', 'expiry', 'perpetual', '2099-12-31']) expect(de).not.to.contain(raw);
    expect(shown(d, 'en')).to.equal('(license revision: 3; maintenance end: 31 Dec 2099 → 1 Feb 2027; expiry: never → 31 Jan 2030; features: a, b → a; users: 5 → 7)');
  });

  it('a remote-assistance answer: the state and the reason as words, the request id left out', () => {
    const de = shown({ request: '3d4c5e6f-0000', kind: 'not-allowed', reason: 'proxy', teamViewerId: '1234567890' }, 'de');
    expect(de).to.match(/^\(Antwort: Bei der Installation nicht zugelassen; Grund: Der Proxy der Installation steht auf automatischer Erkennung.*; TeamViewer-ID: 1 234 567 890\)$/);
    expect(de).not.to.contain('3d4c');
    expect(de).not.to.contain('not-allowed');
  });

  it('shows nothing for a detail without anything to say (an unknown key is not shown raw)', () => {
    expect(shown({ request: 'x' }, 'de')).to.equal('');
    expect(shown({ someInternalKey: 'x' }, 'de')).to.equal('');
  });
});
