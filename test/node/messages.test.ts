import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, it } from 'node:test';
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

const placeholders = (t: string): string[] => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('messages in two languages', () => {
  it('has English and German text for every code, with the same placeholders', () => {
    const problems: string[] = [];
    for (const code of messages.codes()) {
      const en = messages.format('en', code);
      const de = messages.format('de', code);
      if (!en.trim() || !de.trim()) problems.push(`${code}: empty text`);
      // Without parameters the templates come back with their {placeholders} intact.
      if (placeholders(en).join() !== placeholders(de).join()) problems.push(`${code}: placeholders differ`);
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
