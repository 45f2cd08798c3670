import type { Catalogue } from '../i18n.js';

/** Messages of the license area (codes prefixed "license."). */
export const licenseMessages: Catalogue = {};
