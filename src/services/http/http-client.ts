import { inject, injectable, optional } from 'inversify';
import axios, { AxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import { CodedError, isCodedError } from '../../common/errors.js';
import { ProxyErrorCode } from '../../common/proxy/errors.js';
import { checkProxyModeFor, type ConnectionPurpose, type ProxySettings } from '../../common/proxy/settings.js';
import type { ProxyCandidateInfo, ProxySource } from '../../common/proxy/diagnostic.js';
import { candidateKey, toCandidateInfo, type ProxyCandidate } from '../proxy/candidates.js';
import { DefaultProxyResolverFactory, ProxyResolverFactory, type ProxyResolver } from '../proxy/proxy-resolver.js';
import { TunnelStats, withDefaults, type Deadlines } from './deadlines.js';
import { TunnelAgent } from './tunnel-agent.js';
import type { Negotiator } from './negotiate.js';

export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export interface HttpClientOptions {
  readonly purpose: ConnectionPurpose;
  readonly proxy: ProxySettings;
  /** PEM bundle trusted for origins on top of the system roots (TLS-inspecting proxies). */
  readonly caPem?: string;
  readonly deadlines?: Partial<Deadlines>;
  readonly maxResponseBytes?: number;
  /** Defaults to a resolver over `proxy`, the process environment and the OS settings, made by `resolvers`. */
  readonly resolver?: ProxyResolver;
  readonly resolvers?: ProxyResolverFactory;
  readonly env?: NodeJS.ProcessEnv;
  readonly stats?: TunnelStats;
  /** Kerberos for Negotiate proxies (default: the process's negotiator). */
  readonly negotiator?: Negotiator;
}

export interface HttpRequest {
  readonly url: string;
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  readonly headers?: Readonly<Record<string, string>>;
  readonly data?: unknown;
  readonly signal?: AbortSignal;
  readonly responseType?: 'json' | 'text' | 'arraybuffer';
  readonly maxResponseBytes?: number;
}

export interface HttpResponse<T> {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly data: T;
  readonly via: ProxyCandidateInfo;
  readonly source: ProxySource;
}

export interface HttpClient {
  /** Any HTTP status resolves; network, proxy, TLS, deadline and size problems reject with a CodedError. */
  request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>>;
  readonly stats: TunnelStats;
  close(): void;
}

export const HttpClientFactory = Symbol('HttpClientFactory');
export interface HttpClientFactory {
  /** Throws `proxy.auto-not-allowed` for remote assistance with an auto-detected proxy. */
  create(options: HttpClientOptions): HttpClient;
}

@injectable()
export class DefaultHttpClientFactory implements HttpClientFactory {
  constructor(@inject(ProxyResolverFactory) @optional() private readonly resolvers: ProxyResolverFactory = new DefaultProxyResolverFactory()) {}

  create(options: HttpClientOptions): HttpClient {
    return createHttpClient({ resolvers: this.resolvers, ...options });
  }
}

/** Errors that mean "this proxy cannot be reached": the next candidate may be tried (nothing was sent yet). */
const FAILOVER = new Set<string>([ProxyErrorCode.refused, ProxyErrorCode.unreachable, ProxyErrorCode.connectTimeout]);

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const rule = checkProxyModeFor(options.purpose, options.proxy.mode);
  if (rule) throw new CodedError(rule.code, rule.params ?? {}, rule.field !== undefined ? { field: rule.field } : {});
  return new AxiosHttpClient(options);
}

class AxiosHttpClient implements HttpClient {
  readonly stats: TunnelStats;
  private readonly deadlines: Deadlines;
  private readonly resolver: ProxyResolver;
  private readonly ownResolver: boolean;
  private readonly agents = new Map<string, TunnelAgent>();
  private readonly axios: AxiosInstance;

  constructor(private readonly options: HttpClientOptions) {
    this.stats = options.stats ?? new TunnelStats();
    this.deadlines = withDefaults(options.deadlines);
    this.ownResolver = options.resolver === undefined;
    this.resolver = options.resolver ?? (options.resolvers ?? new DefaultProxyResolverFactory()).create(options.proxy, options.env);
    // proxy:false — axios' own proxy support (no keep-alive, NO_PROXY ignored, credentials mis-decoded) stays off.
    this.axios = axios.create({ proxy: false, maxRedirects: 0, validateStatus: () => true, decompress: true });
  }

  async request<T>(req: HttpRequest): Promise<HttpResponse<T>> {
    const url = new URL(req.url);
    const host = url.host;
    const total = AbortSignal.timeout(this.deadlines.totalMs);
    const signal = req.signal ? AbortSignal.any([req.signal, total]) : total;
    const resolution = await this.resolver.resolve(url);
    let last: CodedError | undefined;
    for (const candidate of resolution.candidates) {
      try {
        const res = await this.send(req, this.withCredentials(candidate), signal);
        return {
          status: res.status,
          headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)])),
          data: res.data as T,
          via: toCandidateInfo(candidate),
          source: resolution.source,
        };
      } catch (e) {
        last = this.toCoded(e, host, req, total);
        if (candidate.kind === 'proxy' && FAILOVER.has(last.code)) {
          this.resolver.markFailed(candidate);
          continue;
        }
        throw last;
      }
    }
    throw last ?? new CodedError(ProxyErrorCode.httpFailed, { host, reason: 'no proxy candidate' });
  }

  close(): void {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
    if (this.ownResolver) this.resolver.dispose();
  }

  /** Auto-detected proxies carry no credentials; the configured ones apply to them. */
  private withCredentials(c: ProxyCandidate): ProxyCandidate {
    const s = this.options.proxy;
    if (c.kind !== 'proxy' || c.credentials || !s.username) return c;
    return { ...c, credentials: { username: s.username, password: s.password ?? '', domain: s.domain } };
  }

  private agentFor(c: ProxyCandidate): TunnelAgent {
    const key = candidateKey(c) + (c.kind === 'proxy' && c.credentials ? `#${c.credentials.domain}\\${c.credentials.username}` : '');
    let agent = this.agents.get(key);
    if (!agent) {
      agent = new TunnelAgent({
        ...(c.kind === 'proxy' ? { proxy: c } : {}),
        ...(this.options.caPem ? { ca: this.options.caPem } : {}),
        deadlines: this.deadlines,
        stats: this.stats,
        ...(this.options.negotiator ? { negotiator: this.options.negotiator } : {}),
      });
      this.agents.set(key, agent);
    }
    return agent;
  }

  private send(req: HttpRequest, candidate: ProxyCandidate, signal: AbortSignal): Promise<AxiosResponse> {
    const agent = this.agentFor(candidate);
    const max = req.maxResponseBytes ?? this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    return this.axios.request({
      url: req.url,
      method: req.method ?? 'GET',
      ...(req.headers ? { headers: { ...req.headers } } : {}),
      ...(req.data !== undefined ? { data: req.data } : {}),
      httpAgent: agent,
      httpsAgent: agent,
      signal,
      timeout: this.deadlines.responseMs,
      maxContentLength: max,
      maxBodyLength: max,
      responseType: req.responseType ?? 'json',
      transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: true },
    });
  }

  private toCoded(e: unknown, host: string, req: HttpRequest, total: AbortSignal): CodedError {
    if (isCodedError(e)) return e;
    const cause = e instanceof AxiosError ? e.cause : undefined;
    if (isCodedError(cause)) return cause;
    if (e instanceof AxiosError) {
      if (e.code === 'ERR_CANCELED' || axios.isCancel(e)) {
        return total.aborted && !req.signal?.aborted
          ? new CodedError(ProxyErrorCode.httpTimeout, { host, seconds: this.deadlines.totalMs / 1000, phase: 'total' }, { cause: e })
          : new CodedError(ProxyErrorCode.httpAborted, { host }, { cause: e });
      }
      if (e.code === 'ETIMEDOUT' || e.code === 'ECONNABORTED') {
        return new CodedError(ProxyErrorCode.httpTimeout, { host, seconds: this.deadlines.responseMs / 1000, phase: 'response' }, { cause: e });
      }
      if (/maxContentLength|maxBodyLength/.test(e.message)) {
        const limit = req.maxResponseBytes ?? this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
        return new CodedError(ProxyErrorCode.httpTooLarge, { host, limit }, { cause: e });
      }
      return new CodedError(ProxyErrorCode.httpFailed, { host, reason: e.code ?? e.message }, { cause: e });
    }
    return new CodedError(ProxyErrorCode.httpFailed, { host, reason: e instanceof Error ? e.message : String(e) }, { cause: e });
  }
}
