import type { ReceiptRequest } from '../../common/backoffice/api.js';
import { toErrorInfo } from '../../common/errors.js';
import type { Logger } from '../../services/log/logger.js';
import type { DaemonSession } from '../daemon-task.js';
import type { UpdateJournal } from './update-journal.js';

/**
 * The receipt outbox: sends every receipt the journal holds and the back office has not
 * acknowledged, oldest entry first, marking each sent only after the back office took it (a resend
 * after a crash is harmless: receipts are idempotent). A failure leaves the rest for the next round.
 */
export async function flushReceipts(journal: UpdateJournal, session: DaemonSession, signal: AbortSignal, o: { logger: Logger; pause: () => Promise<void>; now: () => string }): Promise<void> {
  for (const e of journal.all()) {
    const r = e.receipt;
    if (!r || r.sent) continue;
    const body: ReceiptRequest = { licenseId: e.licenseId, seq: e.seq, kind: r.kind, ...(r.reason ? { reason: r.reason } : {}), ...(r.detail ? { detail: r.detail } : {}) };
    try {
      await session.client.sendReceipt(session.serial, body, signal);
    } catch (err) {
      if (!signal.aborted) o.logger.warn({ licenseId: e.licenseId, kind: r.kind, error: toErrorInfo(err) }, 'receipt not sent: sent again later');
      return;
    }
    await o.pause();
    await journal.update(e.licenseId, { receipt: { ...r, sent: true } }, o.now());
  }
}
