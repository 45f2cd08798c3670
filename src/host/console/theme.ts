import { css } from 'lit';

/** Design tokens shared by the console and plugin views (adopted by every element). */
export const tokens = css`
  :host {
    --ors-font: system-ui, 'Segoe UI', Roboto, 'Noto Sans', sans-serif;
    --ors-fg: #1b1b1b;
    --ors-fg-muted: #555;
    --ors-bg: #ffffff;
    --ors-bg-alt: #f3f4f6;
    --ors-border: #c8cbd0;
    --ors-accent: #0b57d0;
    --ors-accent-fg: #ffffff;
    --ors-selected: #d3e3fd;
    --ors-focus: #0b57d0;
    --ors-ok: #146c2e;
    --ors-info: #0b57d0;
    --ors-warning: #8a5300;
    --ors-error: #b3261e;
    --ors-gap: 8px;
    --ors-radius: 4px;
    font-family: var(--ors-font);
    font-size: 14px;
    color: var(--ors-fg);
  }
  :focus-visible {
    outline: 2px solid var(--ors-focus);
    outline-offset: 1px;
  }
  button {
    font: inherit;
    padding: 4px 12px;
    border: 1px solid var(--ors-border);
    border-radius: var(--ors-radius);
    background: var(--ors-bg);
    color: var(--ors-fg);
    cursor: pointer;
  }
  button:disabled {
    opacity: 0.55;
    cursor: default;
  }
  button.primary {
    background: var(--ors-accent);
    border-color: var(--ors-accent);
    color: var(--ors-accent-fg);
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

/** The frame and title of the console's own modal dialogs (About/Log, Audit log, start-up notice); each sets its width. */
export const modalDialog = css`
  dialog {
    border: 1px solid var(--ors-border);
    border-radius: 6px;
  }
  h2 {
    margin-top: 0;
    font-size: 17px;
  }
`;
