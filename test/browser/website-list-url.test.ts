// The installations list keeps page, filter, status and sort in the address (issue 14 review,
// finding 7): a reload or Back to the list gives them back. The page runs in Chromium against a
// stand-in API object that records the queries it is asked (unit test of the one page).
import { expect, fixture, html } from '@open-wc/testing';
import { NEVER } from 'rxjs';
import type { InstallationQuery } from '../../src/common/backoffice/staff-api.js';
import '../../src/website/l10n.js';
import { queryFromUrl, urlOfQuery, type InstallationsPage } from '../../src/website/pages/installations-page.js';
import '../../src/website/pages/installations-page.js';

describe('website: the installations list’s state lives in the address', () => {
  const start = location.pathname + location.search;
  afterEach(() => history.replaceState(null, '', start));

  it('reads page, filter, status and sort from the query string, ignoring what it does not know', () => {
    expect(queryFromUrl('?q=DEMO&status=pending&sort=seq&order=desc&page=3')).to.deep.equal({ q: 'DEMO', status: 'pending', sort: 'seq', order: 'desc', offset: 100, limit: 50 });
    expect(queryFromUrl('?sort=nonsense&status=bad&page=-4&order=up')).to.deep.equal({ sort: 'serial', order: 'asc', offset: 0, limit: 50 });
    const q: InstallationQuery = { q: 'a b', status: 'warning', sort: 'contact', order: 'desc', offset: 50, limit: 50 };
    expect(queryFromUrl(urlOfQuery(q))).to.deep.equal(q);
    expect(urlOfQuery({ sort: 'serial', order: 'asc', offset: 0, limit: 50 })).to.equal('');
  });

  it('asks the back office for the address’s state when it opens, and writes a new sort into the address', async () => {
    history.replaceState(null, '', '/?q=DEMO&sort=seq&order=desc&page=2');
    const asked: InstallationQuery[] = [];
    const api = { installations: (q: InstallationQuery) => (asked.push(q), Promise.resolve({ total: 0, offset: q.offset, items: [] })), changes$: () => NEVER };
    const page = await fixture<InstallationsPage>(html`<ors-installations-page .api=${api as never}></ors-installations-page>`);
    await page.updateComplete;
    expect(asked[0]).to.deep.equal({ q: 'DEMO', sort: 'seq', order: 'desc', offset: 50, limit: 50 });
    expect((page.shadowRoot!.querySelector('#filter') as HTMLInputElement).value).to.equal('DEMO');
    (page.shadowRoot!.querySelector('button[data-sort="serial"]') as HTMLButtonElement).click();
    await page.updateComplete;
    expect(location.search).to.equal('?q=DEMO');
    expect(asked.at(-1)).to.deep.equal({ q: 'DEMO', sort: 'serial', order: 'asc', offset: 0, limit: 50 });
  });
});
