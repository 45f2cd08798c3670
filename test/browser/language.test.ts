import { expect, fixture, html } from '@open-wc/testing';
import { currentLocale, initialLocale, switchLocale, text } from '../../src/host/console/l10n.js';
import '../../src/host/console/scope-tree.js';
import '../../src/host/console/result-pane.js';
import type { ScopeTree } from '../../src/host/console/scope-tree.js';
import type { ResultPane } from '../../src/host/console/result-pane.js';

const nodes = [{ id: 'licenses', pluginId: 'p', label: { en: 'Licenses', de: 'Lizenzen' }, nodeType: 'licenses', columns: [{ id: 'name', label: { en: 'Name', de: 'Name' } }] }];

describe('language', () => {
  afterEach(() => switchLocale('en'));

  it('starts in the browser’s language unless one was chosen before', () => {
    localStorage.removeItem('ors.locale');
    expect(initialLocale()).to.equal(navigator.language.startsWith('de') ? 'de' : 'en');
    localStorage.setItem('ors.locale', 'de');
    expect(initialLocale()).to.equal('de');
    localStorage.removeItem('ors.locale');
  });

  it('re-renders the console in German on switching, and back in English', async () => {
    const tree = await fixture<ScopeTree>(html`<ors-scope-tree .nodes=${nodes}></ors-scope-tree>`);
    const pane = await fixture<ResultPane>(html`<ors-result-pane .node=${nodes[0]} .items=${[]}></ors-result-pane>`);
    const label = (): string => tree.shadowRoot!.querySelector('[role="tree"]')!.getAttribute('aria-label')!;
    const item = (): string => tree.shadowRoot!.querySelector('[role="treeitem"]')!.textContent!.trim();
    expect(label()).to.equal('Console tree');
    expect(item()).to.equal('Licenses');
    await switchLocale('de');
    await tree.updateComplete;
    await pane.updateComplete;
    expect(currentLocale()).to.equal('de');
    expect(document.documentElement.lang).to.equal('de');
    expect(label()).to.equal('Konsolenstruktur');
    expect(item()).to.equal('Lizenzen');
    expect(pane.shadowRoot!.textContent).to.contain('In dieser Ansicht sind keine Elemente vorhanden.');
    await switchLocale('en');
    await tree.updateComplete;
    expect(item()).to.equal('Licenses');
  });

  it('renders coded messages from the shared catalogue in the current language', async () => {
    expect(text({ code: 'settings.invalid', params: { field: 'port', reason: 'too big' } })).to.equal('The setting port is invalid: too big');
    await switchLocale('de');
    expect(text({ code: 'settings.invalid', params: { field: 'port', reason: 'zu groß' } })).to.equal('Die Einstellung port ist ungültig: zu groß');
  });
});
