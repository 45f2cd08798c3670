import type { Catalogue } from '../i18n.js';

/** Messages of the proxy area (codes prefixed "proxy."). */
export const proxyMessages: Catalogue = {};
