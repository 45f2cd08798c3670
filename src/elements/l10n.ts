/**
 * Text in the browser: the page's one message catalogue (the host's own, plus what the host sends of
 * the plugins' registered catalogues, or a website's own) and the UI language (the document's `lang`,
 * which the console's language switch sets). Shared by the console shell, the plugin's views and the
 * website: coded texts `{code, params}` go through here, the elements' own labels through @lit/localize.
 */
import type { LocalizedText } from '../common/console-protocol.js';
import type { MessageParams } from '../common/errors.js';
import { isLocale, MessageCatalogue, type Catalogue, type Locale } from '../common/i18n.js';

let own: Catalogue = {};
let arrived: Catalogue = {};
let catalogue = new MessageCatalogue();
const listeners = new Set<() => void>();

/** The catalogue the page ships itself (the console's host catalogue, a website's own). */
export function setOwnCatalogue(c: Catalogue): void {
  own = c;
  rebuild();
}

/** The catalogues that arrive at run time (the plugins' ones the host sends); replaces the previous set. */
export function setArrivedCatalogue(c: Catalogue): void {
  arrived = c;
  rebuild();
}

function rebuild(): void {
  catalogue = new MessageCatalogue(own, Object.fromEntries(Object.entries(arrived).filter(([code]) => !(code in own))));
  for (const fn of listeners) fn();
}

/** Called whenever the catalogues change (elements re-render). */
export function onCatalogueChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** The UI language: the document's `lang` (set by the console's language switch). */
export function uiLocale(): Locale {
  const l = globalThis.document?.documentElement.lang;
  return isLocale(l) ? l : 'en';
}

export function hasMessage(code: string): boolean {
  return catalogue.has(code);
}

/** A coded message in the UI language (typed placeholders through the one date/time formatter). */
export function t(code: string, params?: MessageParams, locale: Locale = uiLocale()): string {
  return catalogue.format(locale, code, params);
}

/** Renders a LocalizedText (plain, per language from a manifest, or a code) in the UI language. */
export function text(v: LocalizedText | undefined, locale: Locale = uiLocale()): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if ('code' in v && typeof v.code === 'string') return t(v.code, v.params as MessageParams | undefined, locale);
  const texts = v as Partial<Record<Locale, string>>;
  return texts[locale] ?? texts.en ?? '';
}

/** An error from a call (a coded error, or anything thrown) in the UI language. */
export function errorText(e: unknown, locale: Locale = uiLocale()): string {
  const info = e as { code?: unknown; params?: MessageParams };
  if (info && typeof info.code === 'string') return t(info.code, info.params, locale);
  return e instanceof Error ? e.message : String(e);
}
