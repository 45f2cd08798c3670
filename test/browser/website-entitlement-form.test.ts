// The website's entitlement form checks (issue 14 review, finding 3) in Chromium with the website's
// own catalogue: an empty or wrong field is caught before anything is sent, with the back office's
// coded message in the page's language, naming the field by the label the user sees.
import { expect } from '@open-wc/testing';
import type { InstallationDetail } from '../../src/common/backoffice/staff-api.js';
import { errorText } from '../../src/elements/l10n.js';
import { editOf, formOf, formProblem, labelled, newFeatureProblem, type EntitlementForm } from '../../src/website/entitlement-form.js';
import '../../src/website/l10n.js';

const detail = {
  entitlement: { maintenance: { start: '2026-01-01', end: '2027-01-01' }, expiry: 'perpetual', users: 5, features: [{ id: 'remote-assistance' }], graceDays: 14, updatedAt: '2026-01-01T00:00:00.000Z' },
} as unknown as InstallationDetail;
const labels: Record<string, Record<'en' | 'de', string>> = {
  users: { en: 'Users', de: 'Benutzer' },
  maintenanceEnd: { en: 'Maintenance end', de: 'Wartungsende' },
  newFeature: { en: 'New feature', de: 'Neue Option' },
};
const say = (f: EntitlementForm, locale: 'en' | 'de'): string => {
  const p = formProblem(f);
  return p ? errorText(labelled(p, (field) => labels[field]?.[locale]), locale) : '';
};

describe('website: the entitlement form is checked at the edge, in the page’s language', () => {
  const base = (): EntitlementForm => formOf(detail);

  it('takes the back office’s entitlement as it is', () => {
    expect(formProblem(base())).to.equal(undefined);
    expect(editOf(base())).to.deep.equal({ users: 5, maintenanceStart: '2026-01-01', maintenanceEnd: '2027-01-01', expiry: 'perpetual', features: [{ id: 'remote-assistance' }] });
  });

  it('an empty user count is missing, not 0; a fraction or too many are named with the field’s label in en and de', () => {
    expect(say({ ...base(), users: '' }, 'en')).to.equal('Users is missing.');
    expect(say({ ...base(), users: '' }, 'de')).to.equal('Benutzer fehlt.');
    expect(say({ ...base(), users: '2.5' }, 'en')).to.equal('Users must be a whole number.');
    expect(say({ ...base(), users: '2.5' }, 'de')).to.equal('Benutzer muss eine ganze Zahl sein.');
    expect(say({ ...base(), users: '1000001' }, 'de')).to.match(/^Benutzer darf höchstens 1\.?000\.?000 sein\.$/);
    expect(say({ ...base(), users: '0' }, 'en')).to.equal('');
  });

  it('dates: missing, not a date, the maintenance end before its start', () => {
    expect(formProblem({ ...base(), maintenanceStart: '' })?.code).to.equal('backoffice.field.required');
    expect(formProblem({ ...base(), perpetual: false, expiry: '2026-02-30' })?.code).to.equal('backoffice.field.date');
    expect(say({ ...base(), maintenanceEnd: '2025-01-01' }, 'de')).to.equal('Das Wartungsende liegt vor dem Wartungsbeginn.');
  });

  it('a feature ID of the wrong form or listed already is not added, with a message at “New feature”', () => {
    const f = base();
    const text = (id: string, locale: 'en' | 'de') => errorText(labelled(newFeatureProblem(id, f.features)!, (field) => labels[field]?.[locale]), locale);
    expect(text('a b', 'en')).to.match(/^New feature may hold letters, digits/);
    expect(text('a b', 'de')).to.match(/^Neue Option darf Buchstaben, Ziffern/);
    expect(newFeatureProblem('remote-assistance', f.features)?.code).to.equal('backoffice.field.feature-twice');
    expect(newFeatureProblem('  ', f.features)?.code).to.equal('backoffice.field.blank');
    expect(newFeatureProblem('scanner.v2', f.features)).to.equal(undefined);
    expect(say({ ...f, features: [{ id: 'x', count: 'many', expiry: '' }] }, 'en')).to.match(/must be a whole number/);
  });
});
