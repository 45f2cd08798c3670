import { html, type TemplateResult } from 'lit';
import { formatDate, formatDateTime, formatExpiry } from '../common/format/formatter.js';
import { uiLocale } from './l10n.js';

const DASH = '–';

/** An instant as a <time> element in the UI language and the local time zone; a dash when there is none. */
export function when(iso: string | undefined): TemplateResult | string {
  if (!iso) return DASH;
  return html`<time datetime=${iso}>${formatDateTime(uiLocale(), iso)}</time>`;
}

/** A calendar date (license expiry, maintenance) as a <time> element; "never"/"unbefristet" for perpetual. */
export function day(value: string | undefined): TemplateResult | string {
  if (!value) return DASH;
  if (value === 'perpetual') return formatExpiry(uiLocale(), value);
  return html`<time datetime=${value}>${formatDate(uiLocale(), value)}</time>`;
}
