import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { LitElement, html as litHtml } from 'lit';
import { CodedError } from '../../src/common/errors.js';
import { DIRTY_CHANGE } from '../../src/common/browser-plugin-api.js';
import { deepActiveElement } from '../../src/host/console/focus.js';
import '../../src/host/console/property-dialog.js';
import type { PropertyDialog } from '../../src/host/console/property-dialog.js';

/** A property view like a plugin's: one field, dirty tracking, apply() that can fail at the field. */
class TestView extends LitElement {
  static override properties = { value: { state: true }, error: { state: true } };
  saved = 'proxy.example';
  value = 'proxy.example';
  error = '';
  applied: string[] = [];
  get dirty(): boolean {
    return this.value !== this.saved;
  }
  async apply(): Promise<void> {
    if (this.value === '') {
      this.error = 'required';
      throw new CodedError('validation.required', { field: 'host' }, { field: 'host' });
    }
    this.applied.push(this.value);
    this.saved = this.value;
    this.dispatchEvent(new Event(DIRTY_CHANGE));
  }
  override render() {
    return litHtml`<label>Host <input id="host" .value=${this.value} aria-invalid=${this.error ? 'true' : 'false'}
      @input=${(e: Event) => { this.value = (e.target as HTMLInputElement).value; this.error = ''; this.dispatchEvent(new Event(DIRTY_CHANGE)); }}></label>
      <button id="extra">Test</button>`;
  }
}
customElements.define('test-view', TestView);

async function open(): Promise<{ dialog: PropertyDialog; view: TestView }> {
  const opener = await fixture<HTMLButtonElement>(html`<button id="opener">open</button>`);
  opener.focus();
  const dialog = await fixture<PropertyDialog>(html`<ors-property-dialog heading="Remote Service" element="test-view"></ors-property-dialog>`);
  await dialog.updateComplete;
  await new Promise((r) => setTimeout(r, 50));
  const view = dialog.shadowRoot!.querySelector('test-view') as TestView;
  return { dialog, view };
}

function activeId(): string {
  const a = deepActiveElement() as HTMLElement | null;
  return a?.id || a?.textContent?.trim() || '';
}

async function type(view: TestView, text: string): Promise<void> {
  const input = view.shadowRoot!.querySelector('input')!;
  input.focus();
  input.select();
  await sendKeys({ type: text });
  await view.updateComplete;
}

describe('property dialog', () => {
  it('is a labelled modal that puts focus on its first control', async () => {
    const { dialog } = await open();
    const d = dialog.shadowRoot!.querySelector('dialog')!;
    expect(d.open).to.equal(true);
    expect(d.matches(':modal')).to.equal(true);
    expect(d.getAttribute('aria-labelledby')).to.equal('title');
    expect(activeId()).to.equal('host');
  });

  it('traps focus: Tab from the last button wraps to the first control, Shift+Tab back', async () => {
    await open();
    expect(activeId()).to.equal('host');
    await sendKeys({ press: 'Tab' }); // Test
    await sendKeys({ press: 'Tab' }); // OK
    await sendKeys({ press: 'Tab' }); // Cancel
    expect(activeId()).to.equal('Cancel');
    await sendKeys({ press: 'Tab' }); // Apply is disabled: wraps
    expect(activeId()).to.equal('host');
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    expect(activeId()).to.equal('Cancel');
  });

  it('closes on Escape without saving', async () => {
    const { dialog, view } = await open();
    await type(view, 'changed.example');
    setTimeout(() => void sendKeys({ press: 'Escape' }));
    await oneEvent(dialog, 'dialog-close');
    expect(view.applied).to.deep.equal([]);
  });

  it('enables Apply only while the view has unsaved changes, and applies them', async () => {
    const { dialog, view } = await open();
    const apply = (): HTMLButtonElement => [...dialog.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Apply')!;
    expect(apply().disabled).to.equal(true);
    await type(view, 'other.example');
    await dialog.updateComplete;
    expect(apply().disabled).to.equal(false);
    apply().click();
    await new Promise((r) => setTimeout(r, 20));
    await dialog.updateComplete;
    expect(view.applied).to.deep.equal(['other.example']);
    expect(apply().disabled).to.equal(true);
    expect(dialog.shadowRoot!.querySelector('dialog')!.open).to.equal(true, 'Apply keeps the dialog open');
  });

  it('keeps the dialog open when OK fails, with the error shown at the field', async () => {
    const { dialog, view } = await open();
    await type(view, '');
    view.value = '';
    view.dispatchEvent(new Event(DIRTY_CHANGE));
    await dialog.ok();
    await view.updateComplete;
    expect(dialog.shadowRoot!.querySelector('dialog')!.open).to.equal(true);
    expect(view.shadowRoot!.querySelector('input')!.getAttribute('aria-invalid')).to.equal('true');
    expect(dialog.shadowRoot!.querySelector('[role="alert"]')).to.equal(null, 'a field error is not repeated in the footer');
  });
});
