import { inject, injectable } from 'inversify';
import { BACKOFFICE_API_PREFIX, BackofficeErrorCode } from '../../common/backoffice/api.js';
import { CodedError, isCodedError, toErrorInfo, type ErrorInfo } from '../../common/errors.js';
import type { ProxySettings } from '../../common/proxy/settings.js';
import { reportPassed, routeOf, type ConnectionTestHop, type ConnectionTestHopName, type ConnectionTestReport } from '../../common/remote-service/connection-test.js';
import { BackofficeError, classifyFailure, type BackofficeClient } from '../../services/backoffice-client/backoffice-client.js';
import { BackofficeClientFactory } from '../../services/backoffice-client/backoffice-client-factory.js';
import { ConnectionDiagnostic } from '../../services/proxy/diagnostic.js';

export interface ConnectionTestInput {
  readonly url: string;
  readonly proxy: ProxySettings;
  readonly caPem?: string;
  readonly organisationId: string;
  readonly verificationCode: string;
  /** This installation's serial number (from the license server); undefined when none can be read. Asked only once logged in. */
  readonly serial: () => Promise<string | undefined>;
}

/** What to do about a failed back-office hop: the hint of the hop the failure belongs to (login, serial, back office …). */
function hintOf(e: unknown, info: ErrorInfo): string | undefined {
  // "No serial number" says itself where to fix it.
  if (info.code === 'remote-service.no-serial') return undefined;
  if (info.code === BackofficeErrorCode.licenseNone) return 'connection-test.hint.no-license';
  return `ors.hint.${classifyFailure(e).hop}`;
}

const infoOf = (e: unknown): ErrorInfo => (isCodedError(e) ? e.toInfo() : toErrorInfo(e));

/**
 * Walks the ORS service's own path with the dialog's values: the proxy diagnostic (resolution → TCP →
 * CONNECT and its authentication → TLS → HTTP), then, with the same proxy and CA, the back office's
 * API as the service uses it — login, the serial number, the license. Nothing is registered or
 * changed at the back office (no heartbeat, no receipt). Each hop has its deadline; every run ends
 * in a report.
 */
@injectable()
export class ConnectionTest {
  constructor(
    @inject(ConnectionDiagnostic) private readonly diagnostic: ConnectionDiagnostic,
    @inject(BackofficeClientFactory) private readonly clients: BackofficeClientFactory,
  ) {}

  async run(o: ConnectionTestInput): Promise<ConnectionTestReport> {
    const started = Date.now();
    const testedAt = new Date(started).toISOString();
    // The HTTP hop asks the back office's health endpoint: an answer that says the back office is there.
    const health = `${o.url.replace(/\/+$/, '')}${BACKOFFICE_API_PREFIX}/health`;
    const d = await this.diagnostic.run({ url: health, proxy: o.proxy, ...(o.caPem ? { caPem: o.caPem } : {}) });
    const hops: ConnectionTestHop[] = [...d.hops];
    const reached = d.hops.some((h) => h.hop === 'http' && h.status === 'ok') && d.hops.every((h) => h.status !== 'failed');
    if (reached) await this.backoffice(o, hops);
    else for (const hop of ['login', 'serial', 'license'] as const) hops.push({ hop, status: 'skipped', ms: 0 });
    return {
      url: o.url,
      mode: d.mode,
      ...(d.source ? { source: d.source } : {}),
      candidates: d.candidates,
      route: routeOf(d),
      hops,
      ok: reportPassed(hops),
      ms: Date.now() - started,
      testedAt,
    };
  }

  private async backoffice(o: ConnectionTestInput, hops: ConnectionTestHop[]): Promise<void> {
    let client: BackofficeClient | undefined;
    const hop = async (name: ConnectionTestHopName, target: string, fn: () => Promise<ConnectionTestHop['details']>): Promise<boolean> => {
      const t0 = Date.now();
      try {
        const details = await fn();
        hops.push({ hop: name, status: 'ok', ms: Date.now() - t0, ...(target ? { target } : {}), ...(details ? { details } : {}) });
        return true;
      } catch (e) {
        const info = infoOf(e);
        const hint = hintOf(e, info);
        hops.push({ hop: name, status: 'failed', ms: Date.now() - t0, ...(target ? { target } : {}), error: info, ...(hint ? { hint } : {}) });
        return false;
      }
    };
    const skip = (...names: ConnectionTestHopName[]): void => {
      for (const name of names) hops.push({ hop: name, status: 'skipped', ms: 0 });
    };
    try {
      const loggedIn = await hop('login', o.organisationId, async () => {
        client = this.clients.create({
          baseUrl: o.url,
          organisationId: o.organisationId,
          verificationCode: o.verificationCode,
          proxy: o.proxy,
          ...(o.caPem ? { caPem: o.caPem } : {}),
        });
        await client.login();
        return undefined;
      });
      if (!loggedIn || !client) return skip('serial', 'license');
      const c = client;
      const serial = await o.serial();
      const known = await hop('serial', serial ?? '', async () => {
        if (!serial) throw new CodedError('remote-service.no-serial');
        try {
          await c.entitlement(serial);
        } catch (e) {
          // Known, but no entitlement yet: the serial hop holds; the license hop says what is missing.
          if (!(e instanceof BackofficeError && e.code === BackofficeErrorCode.licenseNone)) throw e;
        }
        return undefined;
      });
      if (!known || !serial) return skip('license');
      await hop('license', serial, async () => {
        const answer = await c.currentLicense(serial);
        if (answer.kind !== 'license') return undefined;
        return { licenseId: answer.license.licenseId, issuedAt: answer.license.issuedAt };
      });
    } finally {
      client?.close();
    }
  }
}
