/**
 * A section of a property dialog's form as its own element (properties down, events up): it renders
 * its fields with the shared form parts (form-fields.ts) into light DOM, so the dialog's form styles
 * and id scope (labels, aria-describedby, tabs) stay one, and reports every edit to the dialog,
 * which owns the form state, validates it with the rules in common/ and saves it.
 */
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { ErrorInfo } from '../common/errors.js';
import { errorText } from './l10n.js';
import { secretField, textField, type TextFieldOptions } from './form-fields.js';

/** `form-edit`: a field changed; `key` is the form's property, `field` the setting it validates as. */
export interface FormEdit {
  readonly key: string;
  readonly value: unknown;
  readonly field: string;
}
/** `secret-edit`: a write-only secret was typed (value) or opened for a change (value undefined). */
export interface SecretEdit {
  readonly field: string;
  readonly value?: string;
}

export const FORM_EDIT = 'form-edit';
export const SECRET_EDIT = 'secret-edit';

/** The element id of a field (dots are awkward in id selectors). */
export const idOf = (field: string): string => field.replace(/\./g, '-');

export abstract class FormSection<F extends object> extends LitElement {
  @property({ attribute: false }) form!: F;
  @property({ attribute: false }) errors: Readonly<Partial<Record<string, ErrorInfo>>> = {};
  /** The secrets' new values as typed, whether each is being changed, and whether one is stored. */
  @property({ attribute: false }) secrets: Readonly<Record<string, string>> = {};
  @property({ attribute: false }) changing: Readonly<Record<string, boolean>> = {};
  @property({ attribute: false }) secretsSet: Readonly<Record<string, boolean>> = {};
  /** Greyed as a whole (e.g. while Enable is off); the section's own parts may grey more. */
  @property({ type: Boolean }) disabled = false;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  protected edit(key: keyof F & string, value: unknown, field: string): void {
    this.dispatchEvent(new CustomEvent<FormEdit>(FORM_EDIT, { detail: { key, value, field }, bubbles: true, composed: true }));
  }

  protected value(key: keyof F & string): string {
    return String((this.form as Record<string, unknown>)[key] ?? '');
  }

  /** A labelled text field bound to a form key, its error at the field. */
  protected text(key: keyof F & string, field: string, label: string, options: Omit<TextFieldOptions, 'id' | 'label' | 'value' | 'onInput' | 'error'> = {}): TemplateResult {
    const error = this.errors[field];
    return textField({ id: idOf(field), name: field, label, value: this.value(key), onInput: (v) => this.edit(key, v, field), ...options, ...(error ? { error } : {}) });
  }

  /** A write-only secret: shows that one is set with [Change…], never its value. */
  protected secret(field: string, label: string, texts: { set: string; change: string; hint: string }): TemplateResult {
    const error = this.errors[field];
    const fire = (value?: string) => this.dispatchEvent(new CustomEvent<SecretEdit>(SECRET_EDIT, { detail: { field, ...(value !== undefined ? { value } : {}) }, bubbles: true, composed: true }));
    return secretField({
      id: idOf(field),
      label,
      isSet: this.secretsSet[field] === true,
      changing: this.changing[field] === true,
      value: this.secrets[field] ?? '',
      onChange: () => fire(),
      onInput: (v) => fire(v),
      texts,
      ...(error ? { error } : {}),
    });
  }

  /** One radio button of a group bound to a form key. */
  protected radio(key: keyof F & string, value: string, label: string, field: string, describedBy?: string): TemplateResult {
    const id = `${key}-${value}`;
    return html`<div>
      <input type="radio" id=${id} name=${key} value=${value} .checked=${this.value(key) === value} aria-describedby=${describedBy ?? nothing} @change=${() => this.edit(key, value, field)} />
      <label for=${id}>${label}</label>
    </div>`;
  }

  /** A checkbox bound to a boolean form key, with its hint and error. */
  protected checkbox(key: keyof F & string, field: string, label: string, o: { id?: string; hint?: string; disabled?: boolean } = {}): TemplateResult {
    const id = o.id ?? idOf(field);
    const error = this.errors[field];
    const described = [o.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
    return html`<div class="field">
      <div>
        <input
          type="checkbox"
          id=${id}
          .checked=${(this.form as Record<string, unknown>)[key] === true}
          ?disabled=${o.disabled ?? false}
          aria-invalid=${error ? 'true' : 'false'}
          aria-describedby=${described || nothing}
          @change=${(e: Event) => this.edit(key, (e.target as HTMLInputElement).checked, field)}
        />
        <label for=${id}>${label}</label>
      </div>
      ${o.hint ? html`<span class="hint" id=${`${id}-hint`}>${o.hint}</span>` : nothing}
      ${error ? html`<span class="error" id=${`${id}-error`}>${errorText(error)}</span>` : nothing}
    </div>`;
  }
}
