const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';

/** Focusable elements in tab order, looking through open shadow roots and slots. */
export function focusableWithin(root: Element | ShadowRoot): HTMLElement[] {
  const out: HTMLElement[] = [];
  const visit = (node: Element | ShadowRoot): void => {
    const children = node instanceof HTMLSlotElement ? node.assignedElements({ flatten: true }) : [...node.children];
    for (const el of children) {
      if (el instanceof HTMLElement && el.matches(FOCUSABLE) && !isDisabled(el) && isVisible(el)) out.push(el);
      if (el.shadowRoot) visit(el.shadowRoot);
      visit(el);
    }
  };
  visit(root);
  return out;
}

function isDisabled(el: HTMLElement): boolean {
  return (el as HTMLButtonElement).disabled === true || el.getAttribute('aria-disabled') === 'true' || el.closest('[inert]') !== null;
}

function isVisible(el: HTMLElement): boolean {
  return el.getClientRects().length > 0;
}

/** The element that really has focus, descending into shadow roots. */
export function deepActiveElement(): Element | null {
  let a: Element | null = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

/** Keeps Tab and Shift+Tab inside `container` (a modal): from the last focusable element to the first and back. */
export function trapTab(e: KeyboardEvent, container: Element | ShadowRoot): void {
  if (e.key !== 'Tab') return;
  const items = focusableWithin(container);
  if (!items.length) return;
  const i = items.findIndex((x) => x === deepActiveElement());
  if (e.shiftKey && i <= 0) {
    e.preventDefault();
    items[items.length - 1]!.focus();
  } else if (!e.shiftKey && i === items.length - 1) {
    e.preventDefault();
    items[0]!.focus();
  }
}
