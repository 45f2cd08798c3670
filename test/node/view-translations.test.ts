import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { templates as hostGerman } from '../../src/host/console/locales/de.js';
import { licensesGerman } from '../../src/views/licenses/de.js';
import { remoteAssistanceGerman } from '../../src/views/remote-assistance/de.js';
import { remoteServiceGerman } from '../../src/views/remote-service/de.js';
import { ROOT } from '../support/processes.js';

/** Every `msg(…, { id: 'x' })` of the given folders. */
async function messageIds(dirs: readonly string[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const dir of dirs) {
    for (const entry of await readdir(path.join(ROOT, 'src', dir), { recursive: true })) {
      if (!entry.endsWith('.ts') || entry.endsWith('de.ts')) continue;
      const file = path.join('src', dir, entry);
      const text = await readFile(path.join(ROOT, file), 'utf8');
      for (const m of text.matchAll(/msg\((?:[^()]|\([^()]*\))*?\{\s*id:\s*'([\w.-]+)'\s*\}\s*\)/g)) ids.set(m[1]!, file);
    }
  }
  return ids;
}

describe('German texts of the console and the plugin views (@lit/localize templates)', () => {
  it('has a German template for every message id the views and the console use, and none without a use', async () => {
    const used = await messageIds(['views', 'host/console']);
    const german = new Set(Object.keys({ ...hostGerman, ...licensesGerman, ...remoteServiceGerman, ...remoteAssistanceGerman }));
    const missing = [...used].filter(([id]) => !german.has(id)).map(([id, file]) => `${id} (${file})`);
    assert.deepEqual(missing, [], 'ids without a German template');
    const orphans = [...german].filter((id) => !used.has(id));
    assert.deepEqual(orphans, [], 'German templates no view uses');
  });
});
