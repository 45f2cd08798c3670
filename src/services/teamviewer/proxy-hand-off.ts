import type { ProxyHandOff, TeamViewerInstallation } from '../../common/remote-assistance/model.js';
import type { RemoteServiceProxy } from '../../common/remote-service/model.js';

/**
 * How our manual proxy reaches TeamViewer. TeamViewer (full client and QuickSupport, all
 * platforms) keeps its own proxy settings and documents no command-line switch for them, so the
 * administrator gets the exact values for TeamViewer's proxy dialog. The password is never shown.
 */
export function proxyHandOff(_installation: TeamViewerInstallation | undefined, proxy: RemoteServiceProxy | undefined): ProxyHandOff {
  if (!proxy || proxy.mode !== 'manual' || !proxy.host || !proxy.port) return { kind: 'none' };
  const user = proxy.authenticate && proxy.username ? (proxy.domain ? `${proxy.domain}\\${proxy.username}` : proxy.username) : undefined;
  return { kind: 'dialog', host: proxy.host, port: proxy.port, ...(user ? { username: user } : {}), passwordRequired: !!proxy.authenticate };
}
