import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { TreeNodeInfo } from '../../src/common/console-protocol.js';
import '../../src/host/console/scope-tree.js';
import type { ScopeTree } from '../../src/host/console/scope-tree.js';

const node = (id: string, label: string, parent?: string): TreeNodeInfo => ({
  id,
  pluginId: 'p',
  label: { en: label, de: label },
  nodeType: id,
  columns: [],
  ...(parent ? { parent } : {}),
});

const NODES = [node('licenses', 'Licenses'), node('remote', 'Remote Service'), node('root', 'Reports'), node('child', 'Daily', 'root'), node('lic2', 'Logs')];

async function tree(): Promise<ScopeTree> {
  const el = await fixture<ScopeTree>(html`<ors-scope-tree .nodes=${NODES} selectedId="licenses"></ors-scope-tree>`);
  // Selection is a property owned by the console; mirror it like the console does.
  el.addEventListener('node-select', (e) => (el.selectedId = (e as CustomEvent<{ id: string }>).detail.id));
  el.focus();
  await el.updateComplete;
  return el;
}

function focused(el: ScopeTree): string | undefined {
  return (el.shadowRoot!.activeElement as HTMLElement | null)?.dataset['id'];
}

async function press(el: ScopeTree, key: string): Promise<void> {
  await sendKeys({ press: key });
  await el.updateComplete;
  await el.updateComplete;
}

describe('scope tree (WAI-ARIA tree pattern)', () => {
  it('exposes a tree with levels, selection and one tab stop', async () => {
    const el = await tree();
    const root = el.shadowRoot!;
    expect(root.querySelector('[role="tree"]')).to.not.equal(null);
    const items = [...root.querySelectorAll('[role="treeitem"]')];
    expect(items.map((i) => i.getAttribute('aria-level'))).to.deep.equal(['1', '1', '1', '1']);
    expect(items.filter((i) => i.getAttribute('tabindex') === '0')).to.have.length(1);
    expect(root.querySelector('[data-id="licenses"]')!.getAttribute('aria-selected')).to.equal('true');
    expect(root.querySelector('[data-id="root"]')!.getAttribute('aria-expanded')).to.equal('false');
  });

  it('moves focus and selection with ArrowDown, ArrowUp, Home and End', async () => {
    const el = await tree();
    await press(el, 'ArrowDown');
    expect(focused(el)).to.equal('remote');
    expect(el.selectedId).to.equal('remote');
    await press(el, 'End');
    expect(focused(el)).to.equal('lic2');
    await press(el, 'ArrowUp');
    expect(focused(el)).to.equal('root');
    await press(el, 'Home');
    expect(focused(el)).to.equal('licenses');
  });

  it('expands with ArrowRight, enters the child, and goes back to the parent with ArrowLeft', async () => {
    const el = await tree();
    await press(el, 'End');
    await press(el, 'ArrowUp');
    await press(el, 'ArrowRight');
    expect(el.shadowRoot!.querySelector('[data-id="root"]')!.getAttribute('aria-expanded')).to.equal('true');
    await press(el, 'ArrowRight');
    expect(focused(el)).to.equal('child');
    expect(el.shadowRoot!.querySelector('[data-id="child"]')!.getAttribute('aria-level')).to.equal('2');
    await press(el, 'ArrowLeft');
    expect(focused(el)).to.equal('root');
    await press(el, 'ArrowLeft');
    expect(el.shadowRoot!.querySelector('[data-id="root"]')!.getAttribute('aria-expanded')).to.equal('false');
  });

  it('runs the default verb on Enter', async () => {
    const el = await tree();
    await press(el, 'ArrowDown');
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    const ev = (await oneEvent(el, 'node-activate')) as CustomEvent<{ id: string }>;
    expect(ev.detail.id).to.equal('remote');
  });

  it('jumps by type-ahead, cycling through nodes that start with the same letter', async () => {
    const el = await tree();
    await press(el, 'r');
    expect(focused(el)).to.equal('remote');
    await new Promise((r) => setTimeout(r, 700));
    await press(el, 'r');
    expect(focused(el)).to.equal('root');
    await new Promise((r) => setTimeout(r, 700));
    await press(el, 'l');
    expect(focused(el)).to.equal('lic2');
  });

  it('opens the context menu with Shift+F10', async () => {
    const el = await tree();
    setTimeout(() => void (async () => {
      await sendKeys({ down: 'Shift' });
      await sendKeys({ press: 'F10' });
      await sendKeys({ up: 'Shift' });
    })());
    const ev = (await oneEvent(el, 'node-context-menu')) as CustomEvent<{ id: string }>;
    expect(ev.detail.id).to.equal('licenses');
  });
});
