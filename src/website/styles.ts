import { css } from 'lit';

/** The website's design tokens and the few shared rules (tables, forms, badges), adopted by each page. */
export const siteStyles = css`
  :host {
    --site-font: system-ui, 'Segoe UI', Roboto, 'Noto Sans', sans-serif;
    --site-fg: #1b1b1b;
    --site-fg-muted: #555;
    --site-bg: #ffffff;
    --site-bg-alt: #f3f4f6;
    --site-border: #c8cbd0;
    --site-accent: #0b57d0;
    --site-accent-fg: #ffffff;
    --site-focus: #0b57d0;
    --site-ok: #146c2e;
    --site-warning: #8a5300;
    --site-error: #b3261e;
    --site-radius: 4px;
    display: block;
    font-family: var(--site-font);
    font-size: 14px;
    color: var(--site-fg);
  }
  :focus-visible {
    outline: 2px solid var(--site-focus);
    outline-offset: 1px;
  }
  a {
    color: var(--site-accent);
  }
  h2 {
    font-size: 1.3rem;
    margin: 0 0 12px;
  }
  h3 {
    font-size: 1.05rem;
    margin: 18px 0 8px;
  }
  button {
    font: inherit;
    padding: 4px 12px;
    border: 1px solid var(--site-border);
    border-radius: var(--site-radius);
    background: var(--site-bg);
    color: var(--site-fg);
    cursor: pointer;
  }
  button:disabled {
    opacity: 0.55;
    cursor: default;
  }
  button.primary {
    background: var(--site-accent);
    border-color: var(--site-accent);
    color: var(--site-accent-fg);
  }
  input,
  select,
  textarea {
    font: inherit;
    padding: 3px 6px;
    border: 1px solid var(--site-border);
    border-radius: var(--site-radius);
  }
  .field {
    display: grid;
    gap: 2px;
    margin: 6px 0;
  }
  input[aria-invalid='true'] {
    border-color: var(--site-error);
  }
  .hint,
  .muted {
    color: var(--site-fg-muted);
    font-size: 0.9em;
  }
  .error {
    color: var(--site-error);
  }
  .actions {
    display: flex;
    gap: 8px;
    flex-wrap: wrap;
    align-items: center;
    margin: 8px 0;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: left;
    padding: 4px 8px;
    border-bottom: 1px solid var(--site-border);
    vertical-align: top;
  }
  th {
    background: var(--site-bg-alt);
    font-weight: 600;
  }
  th button.sort {
    border: none;
    background: none;
    padding: 0;
    font-weight: 600;
  }
  .badge {
    display: inline-block;
    padding: 0 6px;
    border-radius: 8px;
    font-size: 0.9em;
    border: 1px solid currentColor;
  }
  .ok {
    color: var(--site-ok);
  }
  .warning {
    color: var(--site-warning);
  }
  .error {
    color: var(--site-error);
  }
  .info {
    color: var(--site-accent);
  }
  dl.facts {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 4px 16px;
    margin: 0;
  }
  dl.facts dt {
    color: var(--site-fg-muted);
  }
  dl.facts dd {
    margin: 0;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
