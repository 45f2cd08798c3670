import { svg, type SVGTemplateResult } from 'lit';

const paths: Record<string, SVGTemplateResult> = {
  key: svg`<path d="M7 14a5 5 0 1 1 4.9-6H22v4h-2v3h-3v-3h-5.1A5 5 0 0 1 7 14zm0-3a2 2 0 1 0 0-4 2 2 0 0 0 0 4z"/>`,
  cloud: svg`<path d="M6.5 19a4.5 4.5 0 0 1-.4-9A6 6 0 0 1 17.7 8.6 5 5 0 0 1 18 19H6.5z"/>`,
  server: svg`<path d="M4 4h16v6H4zm0 10h16v6H4zm3-8v2h2V6zm0 10v2h2v-2z"/>`,
  folder: svg`<path d="M3 6a2 2 0 0 1 2-2h5l2 2h7a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z"/>`,
  plugin: svg`<path d="M10 2h4v4h4v4h-2a2 2 0 0 0 0 4h2v8H4V6h6z"/>`,
  support: svg`<path d="M12 2a9 9 0 0 0-9 9v6a3 3 0 0 0 3 3h2v-8H5v-1a7 7 0 0 1 14 0v1h-3v8h3v1h-6v2h6a2 2 0 0 0 2-2V11a9 9 0 0 0-9-9z"/>`,
  warning: svg`<path d="M12 2 1 21h22zm-1 7h2v6h-2zm0 8h2v2h-2z"/>`,
  refresh: svg`<path d="M17.6 6.4A8 8 0 1 0 20 12h-2a6 6 0 1 1-1.8-4.2L13 11h7V4z"/>`,
  properties: svg`<path d="M4 4h16v16H4zm2 2v12h12V6zm2 2h8v2H8zm0 4h8v2H8z"/>`,
  bell: svg`<path d="M12 22a2 2 0 0 0 2-2h-4a2 2 0 0 0 2 2zm6-6V11a6 6 0 0 0-5-5.9V4h-2v1.1A6 6 0 0 0 6 11v5l-2 2v1h16v-1z"/>`,
};

/** A 16px icon; decorative (aria-hidden), the control carries the label. */
export function icon(name: string | undefined): SVGTemplateResult {
  return svg`<svg width="16" height="16" viewBox="0 0 24 24" fill="currentColor" aria-hidden="true" focusable="false">${paths[name ?? ''] ?? paths['plugin']}</svg>`;
}
