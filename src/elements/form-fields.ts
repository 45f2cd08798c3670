/**
 * The form parts the console's views and the website share: a labelled text field and a write-only
 * secret, each with its hint and its error at the field (aria-invalid, aria-describedby), in the
 * caller's id scope. Template functions (lit's way to share markup); the caller owns the state and
 * passes its texts (each view keeps its own @lit/localize ids). Styles: form-styles (`.field`,
 * `.hint`, `.error`).
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ErrorInfo } from '../common/errors.js';
import { errorText } from './l10n.js';

export interface TextFieldOptions {
  readonly id: string;
  readonly name?: string;
  readonly label: string;
  readonly value: string;
  readonly onInput: (value: string) => void;
  readonly hint?: string;
  readonly error?: ErrorInfo;
  readonly type?: string;
  readonly placeholder?: string;
  readonly autocomplete?: string;
  readonly inputmode?: string;
}

export function textField(o: TextFieldOptions): TemplateResult {
  const described = [o.error ? `${o.id}-error` : '', o.hint ? `${o.id}-hint` : ''].filter(Boolean).join(' ');
  return html`<div class="field">
    <label for=${o.id}>${o.label}</label>
    <input
      id=${o.id}
      name=${o.name ?? o.id}
      type=${o.type ?? 'text'}
      .value=${o.value}
      placeholder=${o.placeholder ?? nothing}
      inputmode=${o.inputmode ?? nothing}
      autocomplete=${o.autocomplete ?? 'off'}
      spellcheck="false"
      aria-invalid=${o.error ? 'true' : 'false'}
      aria-describedby=${described || nothing}
      @input=${(e: Event) => o.onInput((e.target as HTMLInputElement).value)}
    />
    ${o.hint ? html`<span class="hint" id=${`${o.id}-hint`}>${o.hint}</span>` : nothing}
    ${o.error ? html`<span class="error" id=${`${o.id}-error`}>${errorText(o.error)}</span>` : nothing}
  </div>`;
}

export interface SecretFieldOptions {
  readonly id: string;
  readonly label: string;
  /** A value is stored: the field shows that, never the value, and offers to change it. */
  readonly isSet: boolean;
  readonly changing: boolean;
  readonly value: string;
  readonly onInput: (value: string) => void;
  readonly onChange: () => void;
  readonly texts: { readonly set: string; readonly change: string; readonly hint: string };
  readonly error?: ErrorInfo;
}

/** A write-only secret: "set (not shown)" with [Change…], or a password field with its hint. */
export function secretField(o: SecretFieldOptions): TemplateResult {
  const id = o.id;
  if (o.isSet && !o.changing) {
    return html`<div class="field">
      <span id=${`${id}-label`}>${o.label}</span>
      <span id=${`${id}-state`} aria-labelledby=${`${id}-label`}>${o.texts.set}</span>
      <button id=${`${id}-change`} aria-describedby=${`${id}-label ${id}-state`} @click=${o.onChange}>${o.texts.change}</button>
    </div>`;
  }
  return html`<div class="field">
    <label for=${id}>${o.label}</label>
    <input
      id=${id}
      type="password"
      autocomplete="new-password"
      .value=${o.value}
      aria-invalid=${o.error ? 'true' : 'false'}
      aria-describedby=${[o.error ? `${id}-error` : '', `${id}-hint`].filter(Boolean).join(' ')}
      @input=${(e: Event) => o.onInput((e.target as HTMLInputElement).value)}
    />
    <span class="hint" id=${`${id}-hint`}>${o.texts.hint}</span>
    ${o.error ? html`<span class="error" id=${`${id}-error`}>${errorText(o.error)}</span>` : nothing}
  </div>`;
}

/** Whether a form as typed differs from what it was loaded with (forms are flat records of strings and flags). */
export function changedFields<T extends object>(form: T, baseline: T): boolean {
  const a = form as Record<string, unknown>;
  const b = baseline as Record<string, unknown>;
  return Object.keys({ ...a, ...b }).some((k) => a[k] !== b[k]);
}
