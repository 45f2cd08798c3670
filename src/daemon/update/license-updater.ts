import * as path from 'node:path';
import { BehaviorSubject, type Observable } from 'rxjs';
import { BackofficeErrorCode, type LicenseResponse } from '../../common/backoffice/api.js';
import { CodedError, toErrorInfo } from '../../common/errors.js';
import { entitlementChanges, type EntitlementChange } from '../../common/license/compare.js';
import { assertLicenseValid } from '../../common/license/validity.js';
import type { ConnectionState, UpdateEvent, UpdateState } from '../../common/remote-service/model.js';
import { Backoff, sleep } from '../../common/backoff.js';
import { BackofficeError, classifyFailure } from '../../services/backoffice-client/backoffice-client.js';
import { removeStaleTempFiles, writeFileAtomic } from '../../services/fs/atomic-file.js';
import type { Logger } from '../../services/log/logger.js';
import { loadVerifier, readCapped } from '../../services/license/trust.js';
import type { LicenseVerifier, VerifiedLicense } from '../../services/license/signer.js';
import type { ShareClient } from '../../services/share/share-client.js';
import type { ReadyConfig } from '../daemon-config.js';
import type { DaemonSession, DaemonTask } from '../daemon-task.js';
import { daemonTrustPaths } from '../serial-source.js';
import { createLicenseTarget, type LicenseTarget } from './license-target.js';
import { OutcomeTable } from './outcome-table.js';
import { flushReceipts } from './receipt-outbox.js';
import { safeName, UpdateJournal, WAITING_STEPS, WORK_STEPS, type JournalEntry, type JournalStep } from './update-journal.js';
import { mkdirPrivate } from '../../services/fs/shared-modes.js';

export interface LicenseUpdaterOptions {
  /** `<data-dir>/ors`: the journal lives in its `update/` folder. */
  readonly stateDir: string;
  /** `<data-dir>/plugins/<plugin>`: trusted keys. */
  readonly pluginDir: string;
  /** Where delivered licenses wait while they are not installed (default `<data-dir>/license-path`). */
  readonly licensePath: string;
  readonly logger: Logger;
  readonly env?: NodeJS.ProcessEnv;
  /** Long-poll hold, seconds (default 55–59, jittered; the back office holds at most 60). */
  readonly waitSeconds?: number;
  /** Interval of plain polling once a proxy is seen to cut long-polls (default 60 s, jittered). */
  readonly pollMs?: number;
  /** How long the license server may take to serve a new license (default 10 s). */
  readonly pickupDeadlineMs?: number;
  readonly shareTimeoutMs?: number;
  /** A pause after each step (0 in production), so a test can kill the process between steps. */
  readonly stepDelayMs?: number;
  readonly backoff?: Backoff;
  readonly shareClient: ShareClient;
  readonly random?: () => number;
  readonly now?: () => number;
}

/** The update loop's timings; the defaults are production's, tests bind shorter ones in the daemon's container. */
export type UpdaterTimings = Partial<Pick<LicenseUpdaterOptions, 'waitSeconds' | 'pollMs' | 'pickupDeadlineMs' | 'stepDelayMs'>>;
export const UpdaterTimings = Symbol('UpdaterTimings');

/** What the local endpoint's POST actions call (SPEC F5: [Check now], [Install anyway], [Retry]). */
export interface UpdateActions {
  checkNow(): void;
  /** Installs a license that waits for confirmation; throws `ors.update.not-pending` otherwise. */
  confirm(licenseId: string): Promise<void>;
  /** Tries a manual-pending or failed license again; throws `ors.update.not-pending` otherwise. */
  retry(licenseId: string): Promise<void>;
}

const MAX_EVENTS = 20;
/** Long-polls that end before this share of their wait count as cut short (a proxy's idle timeout). */
const EARLY_SHARE = 0.8;
const EARLY_LIMIT = 3;
/** In plain-polling mode, try a long-poll again after this many polls (the proxy may have changed). */
const PROBE_AFTER_POLLS = 30;

/**
 * The automatic license update (SPEC F5) inside the ORS service: a DaemonTask that long-polls the
 * back office for this installation's license and, for each new one, verifies it, holds it for
 * confirmation when it takes something away, installs it on the selected license server, confirms
 * the license server serves it, and sends a receipt. Every step is recorded in a journal before
 * the next starts, so a restart resumes where a kill left off and never installs a license twice.
 */
export class LicenseUpdater implements UpdateActions {
  readonly task: DaemonTask;
  private readonly state = new BehaviorSubject<UpdateState>({ phase: 'idle', pending: [], events: [] });
  private journal?: UpdateJournal;
  private queue: Promise<unknown> = Promise.resolve();
  private session?: DaemonSession;
  private config?: ReadyConfig;
  private serial?: string;
  private wake?: AbortController;
  private checkNowPending = false;
  private readonly closing = new AbortController();
  private readonly backoff: Backoff;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly shareClient: ShareClient;

  constructor(private readonly o: LicenseUpdaterOptions) {
    this.now = o.now ?? Date.now;
    this.random = o.random ?? Math.random;
    this.backoff = o.backoff ?? new Backoff({ baseMs: 1_000, maxMs: 5 * 60_000, random: this.random });
    this.shareClient = o.shareClient;
    this.task = { name: 'license-update', run: (session, signal) => this.run(session, signal) };
  }

  get state$(): Observable<UpdateState> {
    return this.state.asObservable();
  }

  stateNow(): UpdateState {
    return this.state.value;
  }

  /** Opens the journal and removes temporary files of killed writes (journal and license path). */
  async init(): Promise<void> {
    await mkdirPrivate(this.o.licensePath);
    await removeStaleTempFiles(this.o.licensePath);
    this.journal = await UpdateJournal.open(path.join(this.o.stateDir, 'update'));
    this.publish({});
  }

  close(): void {
    this.closing.abort();
    this.wake?.abort();
  }

  checkNow(): void {
    this.checkNowPending = true;
    this.wake?.abort();
  }

  async confirm(licenseId: string): Promise<void> {
    await this.restart(licenseId, ['awaiting-confirmation'], { step: 'confirmed', confirmed: true });
  }

  async retry(licenseId: string): Promise<void> {
    await this.restart(licenseId, ['manual-pending', 'failed'], { step: 'downloaded' });
  }

  private async restart(licenseId: string, from: readonly JournalStep[], change: Partial<JournalEntry>): Promise<void> {
    const j = this.requireJournal();
    const e = j.get(licenseId);
    if (!e || !from.includes(e.step)) throw new CodedError('ors.update.not-pending', { licenseId: licenseId.slice(0, 128) });
    if (!this.config) throw new CodedError('ors.update.not-running');
    const next = await j.update(licenseId, change, this.iso());
    this.o.logger.info({ licenseId, step: next.step }, 'license update action');
    void this.exclusive(async () => {
      const cur = j.get(licenseId);
      if (cur && WORK_STEPS.has(cur.step)) await this.process(cur, this.closing.signal);
      if (this.session) await this.flushReceipts(this.session, this.closing.signal);
    }).catch((err: unknown) => this.o.logger.warn({ licenseId, error: toErrorInfo(err) }, 'license update action failed'));
  }

  /** The update state as the status shows it: stopped while the back office refuses the credentials. */
  static view(u: UpdateState, connection: ConnectionState): UpdateState {
    if (connection.kind === 'error' && connection.hop === 'login' && connection.nextCheck === undefined) {
      return { ...u, phase: 'stopped', stoppedBy: connection.error };
    }
    if (connection.kind !== 'connected' && connection.kind !== 'error' && u.phase !== 'idle') {
      const { stoppedBy: _s, nextCheck: _n, ...rest } = u;
      return { ...rest, phase: 'idle' };
    }
    return u;
  }

  // ---- the task ----

  private async run(session: DaemonSession, signal: AbortSignal): Promise<void> {
    this.session = session;
    this.config = session.config;
    this.serial = session.serial;
    this.publish({ phase: 'waiting', stoppedBy: undefined });
    try {
      await this.exclusive(() => this.resume(session, signal));
      await this.loop(session, signal);
    } finally {
      if (this.session === session) this.session = undefined;
      if (this.state.value.phase !== 'stopped') this.publish({ phase: 'idle', nextCheck: undefined });
    }
  }

  /** After a restart: finish what a kill interrupted, then send the receipts not yet acknowledged. */
  private async resume(session: DaemonSession, signal: AbortSignal): Promise<void> {
    const j = this.requireJournal();
    try {
      await this.target(await loadVerifier(daemonTrustPaths(this.o.pluginDir, this.o.env))).removeLeftovers();
    } catch (e) {
      this.o.logger.warn({ error: toErrorInfo(e) }, 'license folder not cleaned');
    }
    for (const e of j.all()) if (WORK_STEPS.has(e.step)) await this.process(e, signal);
    await this.flushReceipts(session, signal);
  }

  private async loop(session: DaemonSession, signal: AbortSignal): Promise<void> {
    const log = this.o.logger;
    let etag: string | undefined;
    let early = 0;
    let polling = false;
    let polls = 0;
    while (!signal.aborted) {
      const wake = new AbortController();
      this.wake = wake;
      const now = this.checkNowPending;
      this.checkNowPending = false;
      const both = AbortSignal.any([signal, wake.signal, this.closing.signal]);
      const wait = polling || etag === undefined || now ? 0 : this.waitSeconds();
      const t0 = this.now();
      this.publish({ phase: 'waiting', nextCheck: wait > 0 ? this.iso(t0 + wait * 1000) : undefined });
      try {
        const answer = await session.client.currentLicense(session.serial, { ...(etag ? { etag } : {}), waitSeconds: wait, signal: both });
        this.backoff.reset();
        session.checked();
        this.publish({ lastCheck: this.iso() });
        etag = answer.etag;
        if (answer.kind === 'license') {
          early = 0;
          await this.exclusive(() => this.delivered(answer.license, session, signal));
        } else if (wait > 0 && !wake.signal.aborted) {
          early = this.now() - t0 < wait * 1000 * EARLY_SHARE ? early + 1 : 0;
        }
        await this.exclusive(() => this.flushReceipts(session, signal));
        if (!polling && early >= EARLY_LIMIT) {
          polling = true;
          polls = 0;
          log.warn({ early }, 'long-polls end early (a proxy cuts them): polling instead');
        }
        if (polling && answer.kind === 'unchanged' && !wake.signal.aborted) {
          if (++polls >= PROBE_AFTER_POLLS) {
            polling = false;
            early = 0;
            continue;
          }
          const d = Math.round((this.o.pollMs ?? 60_000) * (0.5 + this.random()));
          this.publish({ nextCheck: this.iso(this.now() + d) });
          await sleep(d, both);
        }
      } catch (e) {
        if (signal.aborted || this.closing.signal.aborted) return;
        if (wake.signal.aborted) continue; // [Check now]
        if (e instanceof BackofficeError && e.code === BackofficeErrorCode.licenseNone) {
          etag = undefined;
          await sleep(this.o.pollMs ?? 60_000, both);
          continue;
        }
        const cls = classifyFailure(e);
        if (cls.kind === 'auth') {
          this.publish({ phase: 'stopped', stoppedBy: toErrorInfo(e), nextCheck: undefined });
          throw e; // the connection loop waits for new settings
        }
        if (wait > 0 && this.now() - t0 < wait * 1000 * EARLY_SHARE) early++;
        if (!polling && early >= EARLY_LIMIT) {
          polling = true;
          polls = 0;
          log.warn({ early }, 'long-polls fail early (a proxy cuts them): polling instead');
        }
        const d = this.backoff.next(cls.retryAfterMs);
        log.warn({ error: toErrorInfo(e), hop: cls.hop, retryInMs: d }, 'license check failed');
        this.publish({ phase: 'waiting', nextCheck: this.iso(this.now() + d) });
        await sleep(d, both);
      }
    }
  }

  /** A license the back office delivered: journal it (file first), then process it — once per license id. */
  private async delivered(l: LicenseResponse, session: DaemonSession, signal: AbortSignal): Promise<void> {
    const j = this.requireJournal();
    const known = j.get(l.licenseId);
    if (known) {
      if (WORK_STEPS.has(known.step)) await this.process(known, signal);
      return;
    }
    this.publish({ phase: 'downloading' });
    const file = path.join(this.o.licensePath, `${safeName(l.licenseId)}.lic`);
    await writeFileAtomic(file, l.license);
    const entry = await j.put({ licenseId: l.licenseId, serial: l.serial, seq: l.seq, step: 'downloaded', file, events: [], updatedAt: this.iso() });
    this.o.logger.info({ licenseId: l.licenseId, seq: l.seq }, 'new license downloaded');
    await this.pause();
    await this.process(entry, signal);
    void session;
  }

  /** verify → (confirmation) → install → served → receipt. Runs inside `exclusive`. */
  private async process(entry: JournalEntry, signal: AbortSignal): Promise<void> {
    const serial = this.serial ?? entry.serial;
    this.publish({ phase: 'verifying' });
    try {
      let data: Buffer;
      try {
        data = await readCapped(entry.file);
      } catch {
        // The delivered file is gone: forget the entry's work; the back office delivers it again.
        await this.finish(entry, 'superseded');
        return;
      }
      let v: VerifiedLicense;
      let verifier: LicenseVerifier;
      try {
        verifier = await loadVerifier(daemonTrustPaths(this.o.pluginDir, this.o.env));
        v = verifier.verify(data);
        assertLicenseValid(v.payload, { now: this.now(), serial });
        if (v.payload.licenseId !== entry.licenseId || v.payload.seq !== entry.seq) {
          throw new CodedError('ors.update.metadata-mismatch', { licenseId: entry.licenseId, seq: entry.seq });
        }
      } catch (e) {
        if (e instanceof CodedError && e.code === 'license.no-trusted-keys') return await this.failed(entry, e, [], 'failed');
        return await this.rejected(entry, e, []);
      }
      await this.pause();
      let target: LicenseTarget;
      let served: Awaited<ReturnType<LicenseTarget['served']>>;
      try {
        target = this.target(verifier);
      } catch (e) {
        return await this.failed(entry, e, [], 'failed');
      }
      try {
        served = await target.served(serial, signal);
      } catch (e) {
        return await this.manual(entry, target, e, []);
      }
      // Already served: installed by this service before a crash (announce it), or simply the license
      // the server had anyway, e.g. on the first check after setup (nothing to announce).
      if (served?.sha256 === v.payloadSha256) return await this.installed(entry, target, [], v, entry.step !== 'downloaded');
      if (served && v.payload.seq <= served.payload.seq) {
        return await this.rejected(entry, new CodedError('license.not-newer', { seq: v.payload.seq, installedSeq: served.payload.seq }), []);
      }
      const changes = served ? entitlementChanges(served.payload, v.payload) : [];
      if (changes.some((c) => c.worse) && !entry.confirmed) return await this.awaiting(entry, changes);
      this.publish({ phase: 'installing' });
      entry = await this.requireJournal().update(entry.licenseId, { step: 'installing' }, this.iso());
      try {
        const r = await target.install(data, serial, signal);
        await this.pause();
        return await this.installed(entry, target, r.changes.length ? r.changes : changes, v);
      } catch (e) {
        if (signal.aborted) throw e;
        const code = e instanceof CodedError ? e.code : '';
        if (code === 'license-server.not-picked-up') return await this.failed(entry, e, changes, 'failed');
        if (code.startsWith('license.')) return await this.rejected(entry, e, changes);
        return await this.manual(entry, target, e, changes);
      }
    } finally {
      this.publish({ phase: this.session ? 'waiting' : 'idle' });
    }
  }

  private target(verifier: LicenseVerifier): LicenseTarget {
    if (!this.config) throw new CodedError('ors.update.not-running');
    return createLicenseTarget(this.config, {
      verifier,
      shareClient: this.shareClient,
      pickupDeadlineMs: this.o.pickupDeadlineMs ?? 10_000,
      shareTimeoutMs: this.o.shareTimeoutMs ?? 15_000,
      now: this.now,
    });
  }

  private installed(entry: JournalEntry, target: LicenseTarget, changes: readonly EntitlementChange[], v: VerifiedLicense, announce = true): Promise<void> {
    return this.outcomes().installed(entry, target, changes, v, (info) => this.session?.reportLicense(info), announce);
  }

  private rejected(entry: JournalEntry, e: unknown, changes: readonly EntitlementChange[]): Promise<void> {
    return this.outcomes().rejected(entry, e, changes);
  }

  private failed(entry: JournalEntry, e: unknown, changes: readonly EntitlementChange[], _step: 'failed'): Promise<void> {
    return this.outcomes().failed(entry, e, changes);
  }

  private manual(entry: JournalEntry, target: LicenseTarget, e: unknown, changes: readonly EntitlementChange[]): Promise<void> {
    return this.outcomes().manual(entry, target, e, changes);
  }

  private awaiting(entry: JournalEntry, changes: readonly EntitlementChange[]): Promise<void> {
    return this.outcomes().awaiting(entry, changes);
  }

  private finish(entry: JournalEntry, step: 'superseded'): Promise<void> {
    return this.outcomes().finish(entry, step);
  }

  private outcomes(): OutcomeTable {
    return new OutcomeTable(this.requireJournal(), this.o.logger, () => this.iso(), () => this.publish({}));
  }

  private flushReceipts(session: DaemonSession, signal: AbortSignal): Promise<void> {
    return flushReceipts(this.requireJournal(), session, signal, { logger: this.o.logger, pause: () => this.pause(), now: () => this.iso() });
  }

  // ---- helpers ----

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private waitSeconds(): number {
    return this.o.waitSeconds ?? 55 + Math.floor(this.random() * 5);
  }

  private async pause(): Promise<void> {
    if (this.o.stepDelayMs) await sleep(this.o.stepDelayMs, this.closing.signal);
  }

  private requireJournal(): UpdateJournal {
    if (!this.journal) throw new CodedError('ors.update.not-running');
    return this.journal;
  }

  private iso(t: number = this.now()): string {
    return new Date(t).toISOString();
  }

  /** Publishes the state: the phase fields given, pending and recent events from the journal. */
  private publish(change: Partial<Record<keyof UpdateState, unknown>>): void {
    const next: Record<string, unknown> = { ...this.state.value };
    for (const [k, v] of Object.entries(change)) {
      if (v === undefined) delete next[k];
      else next[k] = v;
    }
    const entries = this.journal?.all() ?? [];
    const pending = entries.filter((e) => WAITING_STEPS.has(e.step)).map((e) => e.events[e.events.length - 1]).filter((e): e is UpdateEvent => e !== undefined);
    const events = entries.flatMap((e) => e.events).sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0)).slice(0, MAX_EVENTS);
    this.state.next({ ...(next as unknown as UpdateState), pending, events });
  }
}
