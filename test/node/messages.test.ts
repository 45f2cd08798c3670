import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { placeholdersOf } from '../../src/common/i18n.js';
import { messages } from '../../src/common/messages/index.js';
import { ROOT } from '../support/processes.js';

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sources(p)));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

const placeholders = placeholdersOf;
const TYPES = new Set(['date', 'datetime', 'expiry', 'relative', 'duration', 'number', 'list', 'cause', 'plural']);

describe('messages in two languages', () => {
  it('has English and German text for every code, with the same placeholders', () => {
    const problems: string[] = [];
    for (const code of messages.codes()) {
      const en = messages.format('en', code);
      const de = messages.format('de', code);
      if (!en.trim() || !de.trim()) problems.push(`${code}: empty text`);
      // Without parameters the templates come back with their {placeholders} intact.
      if (placeholders(en).join() !== placeholders(de).join()) problems.push(`${code}: placeholders differ`);
      for (const m of `${en} ${de}`.matchAll(/\{\w+:(\w+)/g)) if (!TYPES.has(m[1]!)) problems.push(`${code}: unknown placeholder type ${m[1]}`);
    }
    assert.deepEqual(problems, []);
  });

  it('has a message for every error code the code base raises', async () => {
    const missing = new Set<string>();
    let seen = 0;
    for (const file of await sources(path.join(ROOT, 'src'))) {
      const text = await readFile(file, 'utf8');
      for (const m of text.matchAll(/new CodedError\(\s*'([a-z][\w.-]+)'/g)) {
        seen++;
        if (!messages.has(m[1]!)) missing.add(`${m[1]} (${path.relative(ROOT, file)})`);
      }
    }
    assert.ok(seen > 50, `found ${seen} raised codes`);
    assert.deepEqual([...missing].sort(), []);
  });
});

describe('one mechanism per kind of text', () => {
  it('plugin code speaks {code, params}: no inline {en, de} texts and no language-picking helpers', async () => {
    const found: string[] = [];
    for (const file of await sources(path.join(ROOT, 'src', 'plugin'))) {
      const text = await readFile(file, 'utf8');
      if (/\{\s*en:\s*['`]/.test(text) || /\bde:\s*['`]/.test(text)) found.push(path.relative(ROOT, file));
    }
    assert.deepEqual(found, []);
  });

  it('the views and the console format coded texts through the page catalogue, never bundling the plugin catalogue', async () => {
    const found: string[] = [];
    for (const dir of ['views', 'host/console', 'elements']) {
      for (const file of await sources(path.join(ROOT, 'src', dir))) {
        const text = await readFile(file, 'utf8');
        if (/common\/messages\/index\.js/.test(text)) found.push(path.relative(ROOT, file));
      }
    }
    assert.deepEqual(found, []);
  });
});
