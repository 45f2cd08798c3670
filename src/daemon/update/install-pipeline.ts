import { inject, injectable } from 'inversify';
import * as path from 'node:path';
import type { LicenseResponse } from '../../common/backoffice/api.js';
import { sleep } from '../../common/backoff.js';
import { Clock } from '../../common/clock.js';
import { CodedError, toErrorInfo } from '../../common/errors.js';
import { entitlementChanges, type EntitlementChange } from '../../common/license/compare.js';
import { assertLicenseValid } from '../../common/license/validity.js';
import { removeStaleTempFiles, writeFileAtomic } from '../../services/fs/atomic-file.js';
import { mkdirPrivate } from '../../services/fs/shared-modes.js';
import type { LicenseVerifier, VerifiedLicense } from '../../services/license/signer.js';
import { loadVerifier, readCapped } from '../../services/license/trust.js';
import { ShareClient } from '../../services/share/share-client.js';
import type { ReadyConfig } from '../daemon-config.js';
import type { DaemonSession } from '../daemon-task.js';
import { daemonTrustPaths } from '../serial-source.js';
import { createLicenseTarget, type LicenseTarget } from './license-target.js';
import { OutcomeTable } from './outcome-table.js';
import { flushReceipts } from './receipt-outbox.js';
import { safeName, UpdateJournal, WORK_STEPS, type JournalEntry, type JournalStep } from './update-journal.js';
import { UpdateStatus } from './update-status.js';
import { UpdaterSetup, UpdaterTimings } from './updater-config.js';

/**
 * What happens to each license the back office delivers: saved in the license path and journaled,
 * verified, held for confirmation when it takes something away, installed on the selected license
 * server (local folder or SMB share), confirmed served, and its outcome recorded (outcome table) with
 * a receipt to send (receipt outbox). Every step is in the journal before the next starts, so a
 * restart resumes where a kill left off and never installs a license twice. The caller runs one
 * method at a time.
 */
@injectable()
export class InstallPipeline {
  private journal?: UpdateJournal;
  private session?: DaemonSession;
  /** The last session's selection and serial: [Install anyway] and [Retry] use them between sessions too. */
  private config?: ReadyConfig;
  private serial?: string;
  private readonly closing = new AbortController();

  constructor(
    @inject(UpdaterSetup) private readonly setup: UpdaterSetup,
    @inject(UpdaterTimings) private readonly timings: UpdaterTimings,
    @inject(ShareClient) private readonly shareClient: ShareClient,
    @inject(Clock) private readonly clock: Clock,
    @inject(UpdateStatus) private readonly status: UpdateStatus,
  ) {}

  /** Opens the journal and removes temporary files of killed writes (journal and license path). */
  async open(): Promise<void> {
    await mkdirPrivate(this.setup.licensePath);
    await removeStaleTempFiles(this.setup.licensePath);
    this.journal = await UpdateJournal.open(path.join(this.setup.stateDir, 'update'));
    this.status.follow(this.journal);
  }

  close(): void {
    this.closing.abort();
  }

  /** Installs for this session from now on (its selection, serial and license reports). */
  use(session: DaemonSession): void {
    this.session = session;
    this.config = session.config;
    this.serial = session.serial;
  }

  /** The session ended; its selection and serial stay for the administrator's actions. */
  release(session: DaemonSession): void {
    if (this.session === session) this.session = undefined;
  }

  /** After a restart: cleans the license folder of killed writes, then finishes what a kill interrupted. */
  async resume(signal: AbortSignal): Promise<void> {
    try {
      await this.target(await this.verifier()).removeLeftovers();
    } catch (e) {
      this.setup.logger.warn({ error: toErrorInfo(e) }, 'license folder not cleaned');
    }
    for (const e of this.requireJournal().all()) if (WORK_STEPS.has(e.step)) await this.process(e, signal);
  }

  /** A license the back office delivered: journal it (file first), then process it — once per license id. */
  async delivered(l: LicenseResponse, signal: AbortSignal): Promise<void> {
    const j = this.requireJournal();
    const known = j.get(l.licenseId);
    if (known) {
      if (WORK_STEPS.has(known.step)) await this.process(known, signal);
      return;
    }
    this.status.publish({ phase: 'downloading' });
    const file = path.join(this.setup.licensePath, `${safeName(l.licenseId)}.lic`);
    await writeFileAtomic(file, l.license);
    const entry = await j.put({ licenseId: l.licenseId, serial: l.serial, seq: l.seq, step: 'downloaded', file, events: [], updatedAt: this.iso() });
    this.setup.logger.info({ licenseId: l.licenseId, seq: l.seq }, 'new license downloaded');
    await this.pause();
    await this.process(entry, signal);
  }

  /** [Install anyway] / [Retry]: moves a waiting license on, or throws `ors.update.not-pending` / `ors.update.not-running`. */
  async reopen(licenseId: string, from: readonly JournalStep[], change: Partial<JournalEntry>): Promise<JournalEntry> {
    const j = this.requireJournal();
    const e = j.get(licenseId);
    if (!e || !from.includes(e.step)) throw new CodedError('ors.update.not-pending', { licenseId: licenseId.slice(0, 128) });
    if (!this.config) throw new CodedError('ors.update.not-running');
    return j.update(licenseId, change, this.iso());
  }

  /** [Keep current license]: a license waiting for confirmation is declined (receipt, journal; never asked for again), or `ors.update.not-pending`. */
  async decline(licenseId: string): Promise<void> {
    const e = this.requireJournal().get(licenseId);
    if (!e || e.step !== 'awaiting-confirmation') throw new CodedError('ors.update.not-pending', { licenseId: licenseId.slice(0, 128) });
    await this.outcomes().declined(e);
  }

  /** Processes a reopened license (if it still has work) and sends the receipts, until the pipeline closes. */
  async continue(licenseId: string): Promise<void> {
    const cur = this.requireJournal().get(licenseId);
    if (cur && WORK_STEPS.has(cur.step)) await this.process(cur, this.closing.signal);
    if (this.session) await this.flushReceipts(this.session, this.closing.signal);
  }

  flushReceipts(session: DaemonSession, signal: AbortSignal): Promise<void> {
    return flushReceipts(this.requireJournal(), session, signal, { logger: this.setup.logger, pause: () => this.pause(), now: () => this.iso() });
  }

  /** verify → (confirmation) → install → served → outcome. */
  private async process(entry: JournalEntry, signal: AbortSignal): Promise<void> {
    const serial = this.serial ?? entry.serial;
    const outcomes = this.outcomes();
    this.status.publish({ phase: 'verifying' });
    try {
      let data: Buffer;
      try {
        data = await readCapped(entry.file);
      } catch {
        // The delivered file is gone: forget the entry's work; the back office delivers it again.
        return await outcomes.finish(entry, 'superseded');
      }
      let v: VerifiedLicense;
      let verifier: LicenseVerifier;
      try {
        verifier = await this.verifier();
        v = verifier.verify(data);
        assertLicenseValid(v.payload, { now: this.clock.now(), serial });
        if (v.payload.licenseId !== entry.licenseId || v.payload.seq !== entry.seq) {
          throw new CodedError('ors.update.metadata-mismatch', { licenseId: entry.licenseId, seq: entry.seq });
        }
      } catch (e) {
        if (e instanceof CodedError && e.code === 'license.no-trusted-keys') return await outcomes.failed(entry, e, []);
        return await outcomes.rejected(entry, e, []);
      }
      await this.pause();
      let target: LicenseTarget;
      let served: Awaited<ReturnType<LicenseTarget['served']>>;
      try {
        target = this.target(verifier);
      } catch (e) {
        return await outcomes.failed(entry, e, []);
      }
      try {
        served = await target.served(serial, signal);
      } catch (e) {
        return await outcomes.manual(entry, target, e, []);
      }
      const installed = (changes: readonly EntitlementChange[], announce = true): Promise<void> =>
        outcomes.installed(entry, target, changes, v, (info) => this.session?.reportLicense(info), announce);
      // Already served: installed by this service before a crash (announce it), or simply the license
      // the server had anyway, e.g. on the first check after setup (nothing to announce).
      if (served?.sha256 === v.payloadSha256) return await installed([], entry.step !== 'downloaded');
      if (served && v.payload.seq <= served.payload.seq) {
        return await outcomes.rejected(entry, new CodedError('license.not-newer', { seq: v.payload.seq, installedSeq: served.payload.seq }), []);
      }
      const changes = served ? entitlementChanges(served.payload, v.payload) : [];
      if (changes.some((c) => c.worse) && !entry.confirmed) return await outcomes.awaiting(entry, changes);
      this.status.publish({ phase: 'installing' });
      entry = await this.requireJournal().update(entry.licenseId, { step: 'installing' }, this.iso());
      try {
        const r = await target.install(data, serial, signal);
        await this.pause();
        return await installed(r.changes.length ? r.changes : changes);
      } catch (e) {
        if (signal.aborted) throw e;
        const code = e instanceof CodedError ? e.code : '';
        if (code === 'license-server.not-picked-up') return await outcomes.failed(entry, e, changes);
        if (code.startsWith('license.')) return await outcomes.rejected(entry, e, changes);
        return await outcomes.manual(entry, target, e, changes);
      }
    } finally {
      this.status.publish({ phase: this.session ? 'waiting' : 'idle' });
    }
  }

  private verifier(): Promise<LicenseVerifier> {
    return loadVerifier(daemonTrustPaths(this.setup.pluginDir, this.setup.env));
  }

  private target(verifier: LicenseVerifier): LicenseTarget {
    if (!this.config) throw new CodedError('ors.update.not-running');
    return createLicenseTarget(this.config, {
      verifier,
      shareClient: this.shareClient,
      pickupDeadlineMs: this.timings.pickupDeadlineMs ?? 10_000,
      shareTimeoutMs: this.timings.shareTimeoutMs ?? 15_000,
      now: () => this.clock.now(),
    });
  }

  private outcomes(): OutcomeTable {
    return new OutcomeTable(this.requireJournal(), this.setup.logger, () => this.iso(), () => this.status.publish({}));
  }

  /** A pause after a step (tests only: it widens the windows a kill can hit). */
  private async pause(): Promise<void> {
    if (this.timings.stepDelayMs) await sleep(this.timings.stepDelayMs, this.closing.signal);
  }

  private requireJournal(): UpdateJournal {
    if (!this.journal) throw new CodedError('ors.update.not-running');
    return this.journal;
  }

  private iso(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
