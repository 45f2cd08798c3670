import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { CodedError } from '../../src/common/errors.js';
import { messages } from '../../src/common/messages/index.js';
import { loadManifest } from '../../src/host/server/manifest.js';
import { ROOT, tempDir } from '../support/processes.js';

const base = {
  id: 'sample',
  version: '1.0.0',
  engines: { host: '^1.0.0' },
  main: 'main.mjs',
  activationEvents: ['onStartup'],
  contributes: {
    nodes: [{ id: 'n', label: '%n%', nodeType: 't' }],
    commands: [{ id: 'c.run', title: 'Run' }],
    views: [{ nodeType: 't', element: 'x-view', title: 'View' }],
    menus: { context: [{ command: 'c.run', when: 'nodeType == t' }] },
  },
  l10n: { en: { n: 'Node' }, de: { n: 'Knoten' } },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test mutators reach into arbitrary manifest shapes
type Json = any;
type Mutator = (m: Record<string, Json>) => void;

/** Each bad manifest with the error code, the field it names, and the English message shown. */
const BAD: readonly [string, Mutator | string, string, string, RegExp][] = [
  ['not JSON', '{ "id": ', 'plugin.manifest-unreadable', '', /cannot be read/],
  ['missing id', (m) => delete m.id, 'plugin.manifest-invalid', 'id', /invalid at id: must have required property 'id'/],
  ['id with capitals', (m) => (m.id = 'Sample'), 'plugin.manifest-invalid', 'id', /invalid at id/],
  ['version not semver', (m) => (m.version = 'one'), 'plugin.manifest-invalid', 'version', /invalid at version/],
  ['unknown top-level key', (m) => (m.colour = 'blue'), 'plugin.manifest-invalid', '', /must NOT have additional properties/],
  ['engines missing', (m) => delete m.engines, 'plugin.manifest-invalid', 'engines', /engines/],
  ['engine range not met', (m) => (m.engines.host = '^2.0.0'), 'plugin.engine-mismatch', 'engines.host', /needs host API \^2\.0\.0; this console provides 1\./],
  ['engine range garbage', (m) => (m.engines.host = 'latest!'), 'plugin.manifest-invalid', 'engines.host', /not a semver range/],
  ['no activation events', (m) => (m.activationEvents = []), 'plugin.manifest-invalid', 'activationEvents', /activationEvents/],
  ['unknown activation event', (m) => (m.activationEvents = ['onFullMoon']), 'plugin.manifest-invalid', 'activationEvents.0', /activationEvents\.0/],
  ['onCommand for an undeclared command', (m) => (m.activationEvents = ['onCommand:c.other']), 'plugin.unknown-reference', 'activationEvents', /unknown "onCommand:c\.other"/],
  ['node without nodeType', (m) => delete m.contributes.nodes[0].nodeType, 'plugin.manifest-invalid', 'contributes.nodes.0.nodeType', /nodeType/],
  ['node with an unknown icon', (m) => (m.contributes.nodes[0].icon = 'rocket'), 'plugin.manifest-invalid', 'contributes.nodes.0.icon', /icon/],
  ['node with an unknown parent', (m) => (m.contributes.nodes[0].parent = 'ghost'), 'plugin.unknown-reference', 'contributes.nodes.0.parent', /unknown "ghost"/],
  ['duplicate node ids', (m) => m.contributes.nodes.push({ id: 'n', label: 'Again', nodeType: 't' }), 'plugin.duplicate-id', 'contributes.nodes', /declares "n" twice/],
  ['duplicate command ids', (m) => m.contributes.commands.push({ id: 'c.run', title: 'Again' }), 'plugin.duplicate-id', 'contributes.commands', /"c\.run" twice/],
  ['menu for an undeclared command', (m) => (m.contributes.menus.context[0].command = 'c.nope'), 'plugin.unknown-reference', 'contributes.menus.context.0.command', /unknown "c\.nope"/],
  ['menu with an unsupported when-clause', (m) => (m.contributes.menus.context[0].when = 'resourceLangId == ts'), 'plugin.manifest-invalid', 'contributes.menus.context.0.when', /when/],
  ['view for an unknown nodeType', (m) => (m.contributes.views[0].nodeType = 'other'), 'plugin.unknown-reference', 'contributes.views.0.nodeType', /unknown "other"/],
  ['view element without a dash', (m) => (m.contributes.views[0].element = 'view'), 'plugin.manifest-invalid', 'contributes.views.0.element', /element/],
  ['label key missing in German', (m) => delete m.l10n.de.n, 'plugin.l10n-missing', 'l10n.de', /no de text for "n"/],
  ['l10n without English', (m) => delete m.l10n.en, 'plugin.manifest-invalid', 'l10n.en', /l10n/],
  ['main file missing', (m) => (m.main = 'nowhere.mjs'), 'plugin.main-missing', 'main', /nowhere\.mjs does not exist/],
];

describe('plugin manifest validation', async () => {
  const { dir, cleanup } = await tempDir('ors-manifest-');
  after(cleanup);
  let n = 0;

  async function write(content: string): Promise<string> {
    const d = path.join(dir, `p${n++}`);
    await mkdir(d);
    await writeFile(path.join(d, 'manifest.json'), content);
    await writeFile(path.join(d, 'main.mjs'), 'export function activate() {}\n');
    return d;
  }

  it('accepts the reference manifest and the product manifest', async () => {
    const m = await loadManifest(await write(JSON.stringify(base)));
    assert.equal(m.id, 'sample');
    const product = JSON.parse(await (await import('node:fs/promises')).readFile(path.join(ROOT, 'manifest.json'), 'utf8'));
    const { checkManifest } = await import('../../src/host/server/manifest.js');
    assert.doesNotThrow(() => checkManifest(product));
  });

  for (const [name, mutate, code, field, message] of BAD) {
    it(`rejects a manifest with ${name}`, async () => {
      let content: string;
      if (typeof mutate === 'string') content = mutate;
      else {
        const m = structuredClone(base) as Record<string, Json>;
        mutate(m);
        content = JSON.stringify(m);
      }
      const d = await write(content);
      await assert.rejects(loadManifest(d), (e: unknown) => {
        assert.ok(e instanceof CodedError, String(e));
        assert.equal(e.code, code);
        if (field) assert.equal(e.field, field);
        const en = messages.formatError('en', e);
        assert.match(en, message);
        assert.notEqual(messages.formatError('de', e), en, 'has a German message');
        return true;
      });
    });
  }
});
