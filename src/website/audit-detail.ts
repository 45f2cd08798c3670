import { html, nothing, type TemplateResult } from 'lit';
import { formatTeamViewerId } from '../common/remote-assistance/model.js';
import { hasMessage, t } from '../elements/l10n.js';
import { day } from '../elements/time.js';

/** Keys of an audit record's detail that say nothing to a reader (internal ids). */
const HIDDEN = new Set(['request']);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** One side of an "old → new" value: dates in the UI language, "unbefristet" for perpetual, feature lists as lists. */
function side(key: string, v: string): TemplateResult | string {
  const s = v.trim();
  if (s === '–' || s === '') return '–';
  if (DATE.test(s) || s === 'perpetual') return day(s);
  if (key === 'features') return s.split(',').join(', ');
  return s;
}

function value(key: string, v: string | number | null): TemplateResult | string {
  if (v === null) return '–';
  const s = String(v);
  if (key === 'kind' && hasMessage(`backoffice.assistance.state.${s}`)) return t(`backoffice.assistance.state.${s}`);
  if (key === 'reason' && hasMessage(`website.refusal.${s}`)) return t(`website.refusal.${s}`);
  if (key === 'teamViewerId') return formatTeamViewerId(s);
  const [before, after] = s.split(' → ');
  if (after !== undefined) return html`${side(key, before!)} → ${side(key, after)}`;
  return side(key, s);
}

/**
 * An audit record's detail in the UI language: each field by its label from the catalogue, values
 * as words and local dates (the back office stores keys and ISO dates). Unknown keys are left out
 * rather than shown as raw keys on a German screen.
 */
export function auditDetail(detail: Readonly<Record<string, string | number | null>>): TemplateResult | typeof nothing {
  const parts = Object.entries(detail).filter(([k]) => !HIDDEN.has(k) && hasMessage(`website.audit.field.${k}`));
  if (!parts.length) return nothing;
  return html`<span class="muted"
    >(${parts.map(([k, v], i) => html`${i ? '; ' : ''}${t(`website.audit.field.${k}`)}: ${value(k, v)}`)})</span
  >`;
}
