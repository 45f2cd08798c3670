import { spawn } from 'node:child_process';
import { CodedError } from '../../common/errors.js';
import { ProxyErrorCode } from '../../common/proxy/errors.js';
import type { ProxyCredentials } from '../proxy/candidates.js';
import { clientOptions, firstLine, gssError, gssTarget, loadKerberosModule, servicePrincipal, type GssLoader, type GssModule, type ServiceName } from './negotiate-gss.js';
import { KerberosTicketCache, principalOf } from './negotiate-tickets.js';

/** Whose Kerberos credentials a Negotiate handshake uses. */
export interface NegotiateIdentity {
  /** `user@REALM`, or a description of the signed-in account. */
  readonly principal: string;
  readonly realm: string;
  /** Linux/macOS: the private ticket cache of the proxy user (`FILE:…`); absent for the signed-in account. */
  readonly ccache?: string;
  /** Windows: explicit credentials for SSPI; absent for the signed-in account. */
  readonly credentials?: ProxyCredentials;
  /** True when a new ticket can be fetched (the password is known). */
  readonly renewable: boolean;
}

/** Either an identity, or why there is none (then another scheme may be used, or this is the error). */
export type IdentityResult = { readonly identity: NegotiateIdentity } | { readonly none: CodedError };

export interface NegotiateContext {
  /** One SPNEGO step: the proxy's token in ('' for the first), ours out; failures are typed errors. */
  step(serverToken: string): Promise<string>;
}

export interface IdentityRequest {
  readonly proxy: string;
  readonly credentials?: ProxyCredentials;
  readonly ms: number;
  readonly signal?: AbortSignal;
  /** Fetch a new ticket even if the cached one is still valid (after "ticket expired"). */
  readonly force?: boolean;
}

/** The Kerberos side of `Proxy-Authenticate: Negotiate`, kept apart from the socket work in tunnel.ts. */
export interface Negotiator {
  /** Undefined when Negotiate can be used on this computer; otherwise why not (the library did not load). */
  unavailable(): Promise<string | undefined>;
  /**
   * The identity for the proxy credentials, or for the signed-in account when there are none.
   * Throws a typed error for credential problems (wrong password, unknown user, clock skew, …):
   * the same password must not then be sent with another scheme. A KDC that cannot be reached or
   * found, or no ticket at all, is "no identity", so NTLM or Basic may still be used.
   */
  identity(r: IdentityRequest): Promise<IdentityResult>;
  context(identity: NegotiateIdentity, target: ServiceName, proxy: string): Promise<NegotiateContext>;
}

/** GSSAPI reads KRB5CCNAME from the process environment: steps run one at a time, each with its cache. */
let envLock: Promise<unknown> = Promise.resolve();
function withCcache<T>(ccache: string | undefined, fn: () => Promise<T>): Promise<T> {
  const run = async (): Promise<T> => {
    if (ccache === undefined) return fn();
    const before = process.env['KRB5CCNAME'];
    process.env['KRB5CCNAME'] = ccache;
    try {
      return await fn();
    } finally {
      if (before === undefined) delete process.env['KRB5CCNAME'];
      else process.env['KRB5CCNAME'] = before;
    }
  };
  const next = envLock.then(run, run);
  envLock = next.catch(() => undefined);
  return next;
}

/** `klist -s`: exit 0 when the default cache of the signed-in user holds a valid ticket. */
export function signedInTicket(ms = 5_000): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('klist', ['-s'], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

export interface KerberosNegotiatorOptions {
  /** How the `kerberos` module is loaded (tests inject a failing loader). */
  readonly load?: GssLoader;
  readonly platform?: NodeJS.Platform;
  readonly tickets?: KerberosTicketCache;
  /** Whether the signed-in account has a ticket (Linux/macOS, when no proxy user is set). */
  readonly signedIn?: () => Promise<boolean>;
}

export class KerberosNegotiator implements Negotiator {
  readonly tickets: KerberosTicketCache;
  private readonly platform: NodeJS.Platform;
  private loaded: Promise<{ gss: GssModule } | { error: string }> | undefined;

  constructor(private readonly options: KerberosNegotiatorOptions = {}) {
    this.platform = options.platform ?? process.platform;
    this.tickets = options.tickets ?? new KerberosTicketCache();
  }

  private module(): Promise<{ gss: GssModule } | { error: string }> {
    this.loaded ??= (this.options.load ?? loadKerberosModule)().then(
      (gss) => ({ gss }),
      (e: unknown) => ({ error: firstLine(e instanceof Error ? e.message : String(e)) || 'the kerberos module did not load' }),
    );
    return this.loaded;
  }

  async unavailable(): Promise<string | undefined> {
    const m = await this.module();
    return 'error' in m ? m.error : undefined;
  }

  async identity(r: IdentityRequest): Promise<IdentityResult> {
    const creds = r.credentials && r.credentials.username ? r.credentials : undefined;
    if (!creds) {
      const signedIn = this.platform === 'win32' || (await (this.options.signedIn ?? signedInTicket)());
      if (!signedIn) return { none: new CodedError(ProxyErrorCode.kerberosNoTicket, { proxy: r.proxy }) };
      return { identity: { principal: 'signed-in account', realm: '(default)', renewable: false } };
    }
    const { principal, realm } = principalOf(creds.username, creds.domain);
    if (this.platform === 'win32') return { identity: { principal, realm, credentials: creds, renewable: false } };
    try {
      const t = await this.tickets.ticket({ proxy: r.proxy, username: creds.username, domain: creds.domain, password: creds.password, ms: r.ms, ...(r.signal ? { signal: r.signal } : {}), ...(r.force ? { force: true } : {}) });
      return { identity: { principal: t.principal, realm, ccache: t.ccache, renewable: true } };
    } catch (e) {
      if (e instanceof CodedError && (e.code === ProxyErrorCode.kerberosKdcUnreachable || e.code === ProxyErrorCode.kerberosRealmUnknown)) return { none: e };
      throw e;
    }
  }

  async context(identity: NegotiateIdentity, target: ServiceName, proxy: string): Promise<NegotiateContext> {
    const m = await this.module();
    if ('error' in m) throw new CodedError(ProxyErrorCode.negotiateUnavailable, { proxy, reason: m.error });
    const ctx = { proxy, service: servicePrincipal(target), principal: identity.principal, realm: identity.realm };
    const options = clientOptions(this.platform, m.gss.GSS_MECH_OID_SPNEGO, identity.credentials, identity.ccache ? identity.principal : undefined);
    const client = await withCcache(identity.ccache, () => m.gss.initializeClient(gssTarget(this.platform, target), options)).catch((e: unknown) => {
      throw gssError(e, ctx);
    });
    return {
      step: (token) =>
        withCcache(identity.ccache, () => client.step(token)).catch((e: unknown) => {
          throw gssError(e, ctx);
        }),
    };
  }
}

let shared: KerberosNegotiator | undefined;

/** The process's negotiator: one ticket cache per process, the library loaded on first use. */
export function defaultNegotiator(): KerberosNegotiator {
  shared ??= new KerberosNegotiator();
  return shared;
}
