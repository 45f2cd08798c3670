// The ORS service's remote-assistance channel (issue 14) with a fake back-office client: every
// answer reaches the back office, the first one after connecting too (an empty first flush used to
// leave a settled promise behind that swallowed every later answer).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstValueFrom, filter, timeout } from 'rxjs';
import type { AssistanceReport, AssistanceRequest } from '../../src/common/backoffice/assistance.js';
import { AssistanceChannel } from '../../src/daemon/assistance/assistance-channel.js';
import type { DaemonSession } from '../../src/daemon/daemon-task.js';
import type { BackofficeClient } from '../../src/services/backoffice-client/backoffice-client.js';
import { createLogger } from '../../src/services/log/logger.js';

function request(id: string, state: AssistanceRequest['state'] = 'requested'): AssistanceRequest {
  const at = new Date().toISOString();
  return {
    id,
    serial: 'SER-1',
    organisationId: 'ORG-1',
    requestedBy: 'tech',
    message: 'hello',
    state,
    createdAt: at,
    updatedAt: at,
    expiresAt: new Date(Date.now() + 600_000).toISOString(),
    teamViewerId: null,
    reason: null,
  };
}

describe('AssistanceChannel (ORS service side of remote assistance on request)', () => {
  it('sends each answer to the back office: a refusal at once, and the console’s later answers', async () => {
    const answers: { id: string; report: AssistanceReport }[] = [];
    const polls: (AssistanceRequest | null)[] = [request('r1')];
    let release!: () => void;
    const client = {
      assistance: async (_serial: string, q: { signal?: AbortSignal }) => {
        const next = polls.shift();
        if (next !== undefined) return { kind: 'request', etag: `"${next?.id ?? 'none'}"`, request: next };
        // Held like a long-poll until the test or the channel ends it.
        await new Promise<void>((resolve) => {
          release = resolve;
          q.signal?.addEventListener('abort', () => resolve(), { once: true });
        });
        const after = polls.shift();
        return after !== undefined ? { kind: 'request', etag: `"${after?.id ?? 'none'}"`, request: after } : { kind: 'unchanged', etag: '"x"' };
      },
      reportAssistance: async (_serial: string, id: string, report: AssistanceReport) => {
        answers.push({ id, report });
        return { ...request(id), state: report.kind };
      },
    } as unknown as BackofficeClient;
    let allowed = false;
    const channel = new AssistanceChannel({
      logger: createLogger({ name: 'test', level: 'silent' }),
      settings: () => ({ enabled: true, remoteAssistanceFeature: true, allowRemoteAssistance: allowed, organisationId: 'ORG-1', backofficeUrl: 'https://bo.example', proxy: { mode: 'none' }, serviceControl: 'auto' }) as never,
    });
    const session = { client, serial: 'SER-1' } as unknown as DaemonSession;
    const stop = new AbortController();
    const running = channel.task.run(session, stop.signal);
    try {
      const until = (n: number) => (async () => {
        for (let i = 0; i < 200 && answers.length < n; i++) await new Promise((r) => setImmediate(r));
      })();
      await until(1);
      assert.deepEqual(answers, [{ id: 'r1', report: { kind: 'not-allowed', reason: 'not-allowed' } }], 'the refusal of a request while not allowed goes back');

      allowed = true;
      polls.push(request('r2'));
      release();
      await until(2);
      assert.deepEqual(answers[1], { id: 'r2', report: { kind: 'delivered' } });
      await firstValueFrom(channel.request$.pipe(filter((r) => r?.id === 'r2' && r.state === 'delivered'), timeout(5_000)));
      channel.report('r2', { kind: 'declined' });
      await until(3);
      assert.deepEqual(answers[2], { id: 'r2', report: { kind: 'declined' } }, 'the console’s answer goes back too');
    } finally {
      stop.abort();
      await running;
      channel.close();
    }
  });
});
