import { css } from 'lit';

/** Form rules shared by the plugin's views (fields, states, hints, button rows); tokens from the console theme. */
export const formStyles = css`
  .field {
    display: grid;
    gap: 2px;
    margin: 6px 0;
  }
  input[aria-invalid='true'] {
    border-color: var(--ors-error, #b3261e);
  }
  .error,
  .failed {
    color: var(--ors-error, #b3261e);
  }
  .ok {
    color: var(--ors-ok, #146c2e);
  }
  .warning {
    color: var(--ors-warning, #8a5300);
  }
  .hint {
    color: var(--ors-fg-muted, #555);
    font-size: 0.9em;
  }
  .actions {
    display: flex;
    gap: 8px;
    flex-wrap: wrap;
    margin: 8px 0;
  }
`;
