import type { Catalogue } from '../i18n.js';

/** Messages of the backoffice area (codes prefixed "backoffice."). */
export const backofficeMessages: Catalogue = {};
