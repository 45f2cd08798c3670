import { inject, injectable, optional } from 'inversify';
import type { ProxySettings } from '../../common/proxy/settings.js';
import { isCodedError, toErrorInfo } from '../../common/errors.js';
import { BypassList, isLoopbackHost } from './no-proxy.js';
import { DIRECT, candidateKey, parseProxyUrl, type ProxyCandidate, type ProxyEndpoint, type ProxyResolution } from './candidates.js';
import { WPAD_URL, platformSources, type OsProxyConfig, type OsProxySource } from './os-sources.js';
import { PacEvaluator, PacFetcher, parsePacResult } from './pac.js';
import { CommandRunner, SpawnCommandRunner } from '../process/command-runner.js';

export const ProxyResolver = Symbol('ProxyResolver');
export interface ProxyResolver {
  /** The ordered candidates for this URL and where they came from; never throws for auto-detect problems. */
  resolve(url: string | URL): Promise<ProxyResolution>;
  /** A candidate that could not be reached is tried last for a while. */
  markFailed(candidate: ProxyCandidate): void;
  dispose(): void;
}

export interface ProxyResolverOptions {
  readonly settings: ProxySettings;
  readonly env?: NodeJS.ProcessEnv;
  readonly osSources?: readonly OsProxySource[];
  readonly pacFetcher?: PacFetcher;
  readonly pacEvaluator?: PacEvaluator;
  /** How long a failed proxy is tried last. */
  readonly failedForMs?: number;
  readonly now?: () => number;
}

/**
 * Environment variable order (https targets): https_proxy > HTTPS_PROXY > http_proxy > HTTP_PROXY;
 * http targets use http_proxy > HTTP_PROXY. NO_PROXY (no_proxy > NO_PROXY) as in BypassList.
 */
export function envProxyFor(url: URL, env: NodeJS.ProcessEnv): { proxy?: ProxyEndpoint; bypassed: boolean; variable?: string } {
  const names = url.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
  const variable = names.find((n) => (env[n] ?? '').trim() !== '');
  if (!variable) return { bypassed: false };
  const noProxy = env['no_proxy'] ?? env['NO_PROXY'];
  if (BypassList.parse(noProxy).matches(url.hostname, effectivePort(url))) return { bypassed: true, variable };
  const proxy = parseProxyUrl(env[variable]!);
  return { ...(proxy ? { proxy } : {}), bypassed: false, variable };
}

export function effectivePort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

export class DefaultProxyResolver implements ProxyResolver {
  private readonly failedUntil = new Map<string, number>();
  private readonly env: NodeJS.ProcessEnv;
  private readonly pacFetcher: PacFetcher;
  private readonly pacEvaluator: PacEvaluator;
  private readonly now: () => number;

  constructor(private readonly options: ProxyResolverOptions) {
    this.env = options.env ?? process.env;
    this.pacFetcher = options.pacFetcher ?? new PacFetcher();
    this.pacEvaluator = options.pacEvaluator ?? new PacEvaluator();
    this.now = options.now ?? Date.now;
  }

  async resolve(input: string | URL): Promise<ProxyResolution> {
    const url = typeof input === 'string' ? new URL(input) : input;
    const r = await this.resolveUnordered(url);
    return { ...r, candidates: this.order(r.candidates) };
  }

  markFailed(candidate: ProxyCandidate): void {
    if (candidate.kind === 'proxy') this.failedUntil.set(candidateKey(candidate), this.now() + (this.options.failedForMs ?? 60_000));
  }

  dispose(): void {
    this.pacEvaluator.stop();
  }

  private order(candidates: readonly ProxyCandidate[]): ProxyCandidate[] {
    const now = this.now();
    const failed = (c: ProxyCandidate): boolean => (this.failedUntil.get(candidateKey(c)) ?? 0) > now;
    return [...candidates.filter((c) => !failed(c)), ...candidates.filter(failed)];
  }

  private async resolveUnordered(url: URL): Promise<ProxyResolution> {
    const { settings } = this.options;
    if (isLoopbackHost(url.hostname)) return { source: 'loopback', candidates: [DIRECT] };
    if (settings.mode === 'none') return { source: 'none', candidates: [DIRECT] };
    if (settings.mode === 'manual') {
      const credentials = settings.username ? { username: settings.username, password: settings.password ?? '', domain: settings.domain } : undefined;
      const spn = settings.kerberosServiceName?.trim() ? { kerberosServiceName: settings.kerberosServiceName.trim() } : {};
      return { source: 'manual', candidates: [{ kind: 'proxy', host: settings.host, port: settings.port, ...(credentials ? { credentials } : {}), ...spn }] };
    }
    const env = envProxyFor(url, this.env);
    if (env.bypassed) return { source: 'env', candidates: [DIRECT] };
    if (env.proxy) return { source: 'env', candidates: [env.proxy] };
    for (const source of this.options.osSources ?? platformSources(process.platform, this.env)) {
      const config = await source.read().catch(() => undefined);
      if (config) return this.fromOs(url, config);
    }
    return { source: 'default', candidates: [DIRECT] };
  }

  private async fromOs(url: URL, config: OsProxyConfig): Promise<ProxyResolution> {
    const bypass = new BypassList(config.bypass);
    const pacUrl = config.pacUrl ?? (config.autoDetect ? WPAD_URL : undefined);
    if (pacUrl) return this.fromPac(url, pacUrl);
    if (bypass.matches(url.hostname, effectivePort(url))) return { source: config.source, candidates: [DIRECT] };
    const hp = url.protocol === 'https:' ? (config.https ?? config.http) : config.http;
    return { source: config.source, candidates: hp ? [{ kind: 'proxy', host: hp.host, port: hp.port }] : [DIRECT] };
  }

  /** Resolves with a PAC script; on failure falls back to DIRECT and reports the problem. */
  async fromPac(url: URL, pacUrl: string): Promise<ProxyResolution> {
    try {
      const script = await this.pacFetcher.fetch(pacUrl);
      const result = await this.pacEvaluator.findProxyForUrl(script.text, url.href);
      const candidates = parsePacResult(result);
      return { source: 'pac', pacUrl, candidates: candidates.length ? candidates : [DIRECT] };
    } catch (e) {
      return { source: 'pac', pacUrl, candidates: [DIRECT], problem: isCodedError(e) ? e.toInfo() : toErrorInfo(e) };
    }
  }
}

/** Makes the resolver of a proxy setting (the OS and environment sources are this machine's). */
export interface ProxyResolverFactory {
  create(settings: ProxySettings, env?: NodeJS.ProcessEnv): ProxyResolver;
}
export const ProxyResolverFactory = Symbol('ProxyResolverFactory');

@injectable()
export class DefaultProxyResolverFactory implements ProxyResolverFactory {
  /** The OS settings programs (reg, netsh, scutil, gsettings) run through the one CommandRunner. */
  constructor(@inject(CommandRunner) @optional() private readonly runner: CommandRunner = new SpawnCommandRunner()) {}

  create(settings: ProxySettings, env?: NodeJS.ProcessEnv): ProxyResolver {
    return new DefaultProxyResolver({ settings, ...(env ? { env } : {}), osSources: platformSources(process.platform, env ?? process.env, this.runner) });
  }
}
