import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { toErrorInfo, type ErrorInfo } from '../../common/errors.js';
import type { EntitlementChange } from '../../common/license/compare.js';
import type { BackofficeLicenseInfo, UpdateEvent } from '../../common/remote-service/model.js';
import type { VerifiedLicense } from '../../services/license/signer.js';
import type { Logger } from '../../services/log/logger.js';
import type { LicenseTarget } from './license-target.js';
import { WAITING_STEPS, WORK_STEPS, type JournalEntry, type UpdateJournal } from './update-journal.js';

function detailOf(e: ErrorInfo): string {
  return JSON.stringify(e.params ?? {}).slice(0, 2000);
}

/**
 * What became of a delivered license, written to the journal (step, receipt to send, the event the
 * console announces) before anything else happens: installed, rejected, failed, kept in the license
 * path for a manual install, waiting for confirmation, or superseded.
 */
export class OutcomeTable {
  constructor(
    private readonly journal: UpdateJournal,
    private readonly logger: Logger,
    private readonly iso: () => string,
    private readonly changed: () => void,
  ) {}

  async installed(entry: JournalEntry, target: LicenseTarget, changes: readonly EntitlementChange[], v: VerifiedLicense, report: (info: Partial<BackofficeLicenseInfo>) => void, announce = true): Promise<void> {
    const j = this.journal;
    const announced = !announce || entry.events.some((e) => e.kind === 'installed');
    const receipt = entry.receipt?.kind === 'installed' || entry.receipt?.kind === 'copied-remote' ? entry.receipt : { kind: target.kind === 'remote' ? ('copied-remote' as const) : ('installed' as const), detail: target.target.slice(0, 2000), sent: false };
    const events = announced ? entry.events : [...entry.events, this.event(entry, 'installed', changes)];
    const done = await j.update(entry.licenseId, { step: 'installed', receipt, events }, this.iso());
    await rm(done.file, { force: true });
    this.logger.info({ licenseId: entry.licenseId, seq: entry.seq, target: target.kind }, 'license installed and served');
    // Older licenses still waiting are moot now.
    for (const other of j.all()) {
      if (other.seq < entry.seq && (WAITING_STEPS.has(other.step) || WORK_STEPS.has(other.step))) await this.finish(other, 'superseded');
    }
    const p = v.payload;
    report({ licenseId: p.licenseId, seq: p.seq, expiry: p.expiry, maintenanceEnd: p.maintenance.end, users: p.users, features: p.features.map((f) => f.id) });
    this.changed();
    await j.prune();
  }

  async rejected(entry: JournalEntry, e: unknown, changes: readonly EntitlementChange[]): Promise<void> {
    const error = toErrorInfo(e);
    this.logger.warn({ licenseId: entry.licenseId, error }, 'license rejected');
    await this.journal.update(
      entry.licenseId,
      { step: 'rejected', receipt: { kind: 'failed', reason: error.code.slice(0, 200), detail: detailOf(error), sent: false }, events: [...entry.events, this.event(entry, 'rejected', changes, { error })] },
      this.iso(),
    );
    await rm(entry.file, { force: true });
    this.changed();
  }

  async failed(entry: JournalEntry, e: unknown, changes: readonly EntitlementChange[]): Promise<void> {
    const error = toErrorInfo(e);
    this.logger.warn({ licenseId: entry.licenseId, error }, 'license not installed');
    await this.journal.update(
      entry.licenseId,
      { step: 'failed', receipt: { kind: 'failed', reason: error.code.slice(0, 200), detail: detailOf(error), sent: false }, events: [...entry.events, this.event(entry, 'failed', changes, { error, file: entry.file })] },
      this.iso(),
    );
    this.changed();
  }

  async manual(entry: JournalEntry, target: LicenseTarget, e: unknown, changes: readonly EntitlementChange[]): Promise<void> {
    const error = toErrorInfo(e);
    this.logger.warn({ licenseId: entry.licenseId, error, target: target.target }, 'license kept in the license path: install it by hand or retry');
    await this.journal.update(
      entry.licenseId,
      {
        step: 'manual-pending',
        receipt: { kind: 'manual-pending', reason: error.code.slice(0, 200), detail: target.target.slice(0, 2000), sent: false },
        events: [...entry.events, this.event(entry, 'manual-pending', changes, { error, file: entry.file, target: target.target })],
      },
      this.iso(),
    );
    this.changed();
  }

  async awaiting(entry: JournalEntry, changes: readonly EntitlementChange[]): Promise<void> {
    this.logger.info({ licenseId: entry.licenseId, losses: changes.filter((c) => c.worse).map((c) => c.kind) }, 'license takes something away: waiting for confirmation');
    await this.journal.update(entry.licenseId, { step: 'awaiting-confirmation', events: [...entry.events, this.event(entry, 'awaiting-confirmation', changes, { file: entry.file })] }, this.iso());
    this.changed();
  }

  /** [Keep current license]: the administrator declined it — a `declined` receipt, the file removed, and the id stays in the journal so it is not asked for again. */
  async declined(entry: JournalEntry): Promise<void> {
    this.logger.info({ licenseId: entry.licenseId, seq: entry.seq }, 'license declined: the current license stays');
    const last = entry.events[entry.events.length - 1];
    await this.journal.update(
      entry.licenseId,
      { step: 'declined', receipt: { kind: 'declined', sent: false }, events: [...entry.events, this.event(entry, 'declined', last?.changes ?? [])] },
      this.iso(),
    );
    await rm(entry.file, { force: true });
    this.changed();
  }

  async finish(entry: JournalEntry, step: 'superseded'): Promise<void> {
    await this.journal.update(entry.licenseId, { step }, this.iso());
    await rm(entry.file, { force: true });
  }

  private event(entry: JournalEntry, kind: UpdateEvent['kind'], changes: readonly EntitlementChange[], extra: { error?: ErrorInfo; file?: string; target?: string } = {}): UpdateEvent {
    return { id: randomUUID(), time: this.iso(), licenseId: entry.licenseId, serial: entry.serial, seq: entry.seq, kind, changes: [...changes], ...extra };
  }
}
