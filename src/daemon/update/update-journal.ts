import { readdir, readFile, rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { ReceiptKind } from '../../common/backoffice/api.js';
import type { UpdateEvent } from '../../common/remote-service/model.js';
import { removeStaleTempFiles, writeFileAtomic } from '../../services/fs/atomic-file.js';
import { mkdirPrivate } from '../../services/fs/shared-modes.js';

/**
 * Where one delivered license stands. `downloaded` and `confirmed` are work still to do (resumed
 * after a restart); `awaiting-confirmation`, `manual-pending` and `failed` wait for the
 * administrator; `installed`, `rejected`, `declined` ([Keep current license]: never asked for again)
 * and `superseded` are done.
 */
export type JournalStep = 'downloaded' | 'confirmed' | 'installing' | 'awaiting-confirmation' | 'manual-pending' | 'failed' | 'installed' | 'rejected' | 'declined' | 'superseded';

export interface PendingReceipt {
  readonly kind: ReceiptKind;
  readonly reason?: string;
  readonly detail?: string;
  /** The back office acknowledged it; until then it is sent again (after a restart too). */
  readonly sent: boolean;
}

export interface JournalEntry {
  readonly licenseId: string;
  readonly serial: string;
  readonly seq: number;
  readonly step: JournalStep;
  /** The license file as delivered, in the license path, while it is not installed. */
  readonly file: string;
  /** The administrator confirmed that it may take something away. */
  readonly confirmed?: boolean;
  readonly receipt?: PendingReceipt;
  /** Every event announced for this license, oldest first (ids are stable across restarts). */
  readonly events: readonly UpdateEvent[];
  readonly updatedAt: string;
}

export const WORK_STEPS: ReadonlySet<JournalStep> = new Set(['downloaded', 'confirmed', 'installing']);
export const WAITING_STEPS: ReadonlySet<JournalStep> = new Set(['awaiting-confirmation', 'manual-pending', 'failed']);

/** A file name for a license id (ids are identifiers, but the journal never trusts that). */
export function safeName(licenseId: string): string {
  return licenseId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120) || '_';
}

/**
 * The update journal: one small JSON file per license id in `<data-dir>/ors/update/`, each written
 * atomically, so a kill at any instant leaves the previous or the next step, never a torn one.
 */
export class UpdateJournal {
  private readonly entries = new Map<string, JournalEntry>();

  private constructor(readonly dir: string) {}

  /** Reads every entry; removes temporary files a killed write left behind; skips unreadable files. */
  static async open(dir: string): Promise<UpdateJournal> {
    await mkdirPrivate(dir);
    await removeStaleTempFiles(dir);
    const j = new UpdateJournal(dir);
    for (const name of await readdir(dir)) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      try {
        const e = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as JournalEntry;
        if (typeof e.licenseId === 'string' && typeof e.seq === 'number' && typeof e.step === 'string' && Array.isArray(e.events)) j.entries.set(e.licenseId, e);
      } catch {
        // A file that is not an entry is ignored (the license is delivered again by the back office).
      }
    }
    return j;
  }

  get(licenseId: string): JournalEntry | undefined {
    return this.entries.get(licenseId);
  }

  /** Oldest first (by seq). */
  all(): JournalEntry[] {
    return [...this.entries.values()].sort((a, b) => a.seq - b.seq || a.licenseId.localeCompare(b.licenseId));
  }

  async put(e: JournalEntry): Promise<JournalEntry> {
    await writeFileAtomic(path.join(this.dir, `${safeName(e.licenseId)}.json`), JSON.stringify(e) + '\n', { mode: 0o600 });
    this.entries.set(e.licenseId, e);
    return e;
  }

  async update(licenseId: string, change: Partial<Omit<JournalEntry, 'licenseId'>>, now: string): Promise<JournalEntry> {
    const old = this.entries.get(licenseId);
    if (!old) throw new Error(`no journal entry ${licenseId}`);
    return this.put({ ...old, ...change, updatedAt: now });
  }

  /** Drops entries that are done, keeping the newest `keep` of them (their events stay visible). */
  async prune(keep = 20): Promise<void> {
    const done = this.all().filter((e) => !WORK_STEPS.has(e.step) && !WAITING_STEPS.has(e.step) && (e.receipt?.sent ?? true));
    for (const e of done.slice(0, Math.max(0, done.length - keep))) {
      await rm(path.join(this.dir, `${safeName(e.licenseId)}.json`), { force: true });
      this.entries.delete(e.licenseId);
    }
  }
}
