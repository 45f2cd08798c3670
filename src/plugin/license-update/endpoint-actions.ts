import { request } from 'node:http';
import { CodedError, type ErrorInfo } from '../../common/errors.js';
import { endpointFileOf, readEndpointFile } from '../../services/ors-control/daemon-endpoint-client.js';
import type { UpdateActions } from './license-update-controller.js';

const DEADLINE_MS = 10_000;
const MAX_BODY = 64 * 1024;

/**
 * POSTs an action to the running ORS service's local endpoint (bearer token from its 0600 endpoint
 * file; loopback only). A refusal with a coded body keeps its code; anything else becomes
 * 'license-update.action-failed'.
 */
async function post(hostDataDir: string, route: string, body: object): Promise<void> {
  const ep = await readEndpointFile(endpointFileOf(hostDataDir));
  if (!ep) throw new CodedError('license-update.service-not-running');
  const payload = JSON.stringify(body);
  await new Promise<void>((resolve, reject) => {
    const req = request(`${ep.url}${route}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ep.token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
      timeout: DEADLINE_MS,
    });
    const deadline = setTimeout(() => req.destroy(new CodedError('license-update.action-failed', { reason: `no answer within ${DEADLINE_MS / 1000} s` })), DEADLINE_MS);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
        if (text.length > MAX_BODY) req.destroy();
      });
      res.on('end', () => {
        clearTimeout(deadline);
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) return resolve();
        let info: Partial<ErrorInfo> = {};
        try {
          const parsed = JSON.parse(text) as { error?: Partial<ErrorInfo> } & Partial<ErrorInfo>;
          info = parsed.error ?? parsed;
        } catch {
          // not JSON: reported by status below
        }
        reject(typeof info.code === 'string' ? new CodedError(info.code, info.params ?? {}) : new CodedError('license-update.action-failed', { reason: `HTTP ${status}` }));
      });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', (e) => {
      clearTimeout(deadline);
      reject(e instanceof CodedError ? e : new CodedError('license-update.action-failed', { reason: e.message }, { cause: e }));
    });
    req.end(payload);
  });
}

/** The update loop's actions on the ORS service the console runs with (data dir of the host). */
export function endpointActions(hostDataDir: string): UpdateActions {
  return {
    checkNow: () => post(hostDataDir, '/update/check-now', {}),
    confirm: (licenseId) => post(hostDataDir, '/update/confirm', { licenseId }),
    retry: (licenseId) => post(hostDataDir, '/update/retry', { licenseId }),
  };
}
