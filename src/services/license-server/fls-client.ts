import { CodedError } from '../../common/errors.js';
import type { FlsStatus } from '../../common/license/fls-api.js';

const MAX_STATUS_BYTES = 1024 * 1024;

/** GET /status of a floating license server, with a deadline and a size cap. */
export async function fetchFlsStatus(baseUrl: string, timeoutMs = 5000, signal?: AbortSignal): Promise<FlsStatus> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([deadline, signal]) : deadline;
  let res: Response;
  try {
    res = await fetch(new URL('/status', baseUrl), { signal: combined, headers: { accept: 'application/json' } });
  } catch (cause) {
    if (deadline.aborted) throw new CodedError('io.timeout', { operation: `GET ${baseUrl}/status`, seconds: timeoutMs / 1000 }, { cause });
    throw new CodedError('license-server.unreachable', { url: baseUrl, reason: cause instanceof Error ? (cause.cause as Error | undefined)?.message ?? cause.message : String(cause) }, { cause });
  }
  const body = await readCapped(res);
  if (!res.ok) throw new CodedError('license-server.bad-response', { url: baseUrl, reason: `HTTP ${res.status}` });
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    throw new CodedError('license-server.bad-response', { url: baseUrl, reason: 'not JSON' });
  }
  const s = v as Partial<FlsStatus>;
  if (!s || s.product !== 'ors-fls' || !Array.isArray(s.licenses) || !Array.isArray(s.problems)) {
    throw new CodedError('license-server.bad-response', { url: baseUrl, reason: 'not an FLS status' });
  }
  return s as FlsStatus;
}

async function readCapped(res: Response): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_STATUS_BYTES) {
      await reader.cancel();
      throw new CodedError('license-server.bad-response', { url: res.url, reason: 'response too large' });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
