import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomic } from '../../src/services/fs/atomic-file.js';
import type { ShareClient, ShareEntry, ShareLocation } from '../../src/services/share/share-client.js';

/**
 * A ShareClient that maps //host/share/folder onto `<root>/<share>/<folder>` on this machine, so the
 * remote adapter can be tested against a real FLS watching that folder. Records the calls it got.
 */
export class FolderShareClient implements ShareClient {
  readonly calls: string[] = [];
  constructor(private readonly root: string) {}

  private dir(l: ShareLocation): string {
    return path.join(this.root, l.share, ...l.folder.split('/').filter(Boolean));
  }

  async test(l: ShareLocation): Promise<void> {
    this.calls.push('test');
    await stat(this.dir(l));
  }

  async list(l: ShareLocation): Promise<ShareEntry[]> {
    this.calls.push('list');
    const names = await readdir(this.dir(l));
    return Promise.all(names.map(async (name) => ({ name, size: (await stat(path.join(this.dir(l), name))).size })));
  }

  async read(l: ShareLocation, _c: unknown, name: string): Promise<Uint8Array> {
    this.calls.push(`read ${name}`);
    return readFile(path.join(this.dir(l), name));
  }

  async install(l: ShareLocation, _c: unknown, name: string, data: Uint8Array): Promise<string> {
    this.calls.push(`install ${l.folder}/${name}`);
    await mkdir(this.dir(l), { recursive: true });
    await writeFileAtomic(path.join(this.dir(l), name), data, { keepPrevious: true });
    const back = await readFile(path.join(this.dir(l), name));
    return createHash('sha256').update(back).digest('hex');
  }

  async remove(l: ShareLocation, _c: unknown, name: string): Promise<void> {
    this.calls.push(`remove ${name}`);
    await rm(path.join(this.dir(l), name));
  }
}
