import { inject, injectable } from 'inversify';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomic } from '../../services/fs/atomic-file.js';
import { mkdirPrivate } from '../../services/fs/shared-modes.js';
import { PluginDataDir } from '../../host/api/index.js';

/** Enough to outlast the ORS service's bounded event list many times over. */
const MAX_KEPT = 1_000;

/**
 * The ids of the update events this console has announced, kept in the plugin's data folder so that
 * a console restart or a page reload never announces an event twice. Written atomically; loaded on
 * first use, so the plugin can activate synchronously.
 */
@injectable()
export class AnnouncedEvents {
  private ids?: Promise<string[]>;
  private queue: Promise<unknown> = Promise.resolve();

  private readonly file: string;

  constructor(@inject(PluginDataDir) dataDir: string) {
    this.file = path.join(dataDir, 'license-update', 'announced.json');
  }

  private load(): Promise<string[]> {
    this.ids ??= readFile(this.file, 'utf8').then(
      (text) => {
        const saved = JSON.parse(text) as { ids?: unknown };
        return Array.isArray(saved.ids) ? saved.ids.filter((v): v is string => typeof v === 'string') : [];
      },
      // Missing or unreadable: nothing announced yet (the notifications' keys still keep the list single).
      () => [],
    ).catch(() => []);
    return this.ids;
  }

  async has(id: string): Promise<boolean> {
    return (await this.load()).includes(id);
  }

  add(id: string): Promise<void> {
    const run = this.queue.then(async () => {
      const ids = await this.load();
      if (ids.includes(id)) return;
      ids.push(id);
      if (ids.length > MAX_KEPT) ids.splice(0, ids.length - MAX_KEPT);
      await mkdirPrivate(path.dirname(this.file));
      await writeFileAtomic(this.file, JSON.stringify({ ids }) + '\n', { mode: 0o600 });
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
