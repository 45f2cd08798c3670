import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import type { AuditRow, TreeNodeInfo } from '../../common/console-protocol.js';
import { auditCsv, auditLines } from './audit-table.js';
import { trapTab } from './focus.js';
import { t } from '../../elements/l10n.js';
import { text } from './l10n.js';
import { modalDialog, tokens } from './theme.js';

/**
 * View → Audit log (SPEC §5): when, who (OS user and console session), where (node), what (the
 * setting's label in the UI language), old → new (secrets only as "changed"); filter by node and
 * export as CSV. Follows the host's audit stream while open.
 */
@localized()
@customElement('ors-audit-dialog')
export class AuditDialog extends LitElement {
  static override styles = [
    tokens,
    modalDialog,
    css`
      dialog {
        width: min(1100px, 96vw);
      }
      .tools {
        display: flex;
        gap: 12px;
        align-items: center;
        flex-wrap: wrap;
        margin-bottom: 8px;
      }
      .table {
        max-height: 60vh;
        overflow: auto;
      }
      table {
        border-collapse: collapse;
        width: 100%;
        font-size: 13px;
      }
      th,
      td {
        text-align: left;
        vertical-align: top;
        padding: 3px 6px;
        border-bottom: 1px solid var(--ors-border);
      }
      th {
        position: sticky;
        top: 0;
        background: var(--ors-bg-alt);
      }
      td.value {
        font-family: ui-monospace, monospace;
        word-break: break-all;
      }
      footer {
        display: flex;
        justify-content: flex-end;
        margin-top: 12px;
      }
    `,
  ];

  @property({ attribute: false }) rows?: readonly AuditRow[];
  @property({ attribute: false }) nodes: readonly TreeNodeInfo[] = [];
  @state() private node = '';
  @query('dialog') private dialog!: HTMLDialogElement;

  override render() {
    const all = auditLines(this.rows ?? [], this.nodes);
    const lines = this.node ? all.filter((l) => l.nodeId === this.node) : all;
    return html`<dialog aria-labelledby="audit-title" @keydown=${(e: KeyboardEvent) => trapTab(e, this.dialog)} @close=${() => this.dispatchEvent(new CustomEvent('dialog-close', { bubbles: true, composed: true }))}>
      <h2 id="audit-title">${msg('Audit log', { id: 'audit.title' })}</h2>
      <div class="tools">
        <label for="audit-node">${msg('Node:', { id: 'audit.filter' })}</label>
        <select id="audit-node" .value=${this.node} @change=${(e: Event) => (this.node = (e.target as HTMLSelectElement).value)}>
          <option value="">${msg('All nodes', { id: 'audit.filter.all' })}</option>
          ${this.nodes.map((n) => html`<option value=${n.id} ?selected=${n.id === this.node}>${text(n.label)}</option>`)}
        </select>
        <button id="audit-export" ?disabled=${!lines.length} @click=${() => this.export(lines)}>${msg('Export as CSV…', { id: 'audit.export' })}</button>
        <span role="status" id="audit-count">${this.rows === undefined ? msg('Loading…', { id: 'audit.loading' }) : t('host.audit.count', { n: lines.length })}</span>
      </div>
      <div class="table" tabindex="0" role="region" aria-labelledby="audit-title">
        <table>
          <thead>
            <tr>
              <th scope="col">${msg('When', { id: 'audit.col.when' })}</th>
              <th scope="col">${msg('Who', { id: 'audit.col.who' })}</th>
              <th scope="col">${msg('Node', { id: 'audit.col.node' })}</th>
              <th scope="col">${msg('What', { id: 'audit.col.what' })}</th>
              <th scope="col">${msg('Old value', { id: 'audit.col.from' })}</th>
              <th scope="col">${msg('New value', { id: 'audit.col.to' })}</th>
            </tr>
          </thead>
          <tbody>
            ${lines.map(
              (l) => html`<tr data-node=${l.nodeId ?? nothing}>
                <td><time datetime=${l.time}>${l.when}</time></td>
                <td>${l.who}</td>
                <td>${l.node}</td>
                <td>${l.what}</td>
                <td class="value">${l.from}</td>
                <td class="value">${l.to}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <footer><button class="primary" @click=${() => this.dialog.close()}>${msg('Close', { id: 'dialog.close' })}</button></footer>
    </dialog>`;
  }

  override firstUpdated(): void {
    this.dialog.showModal();
  }

  private export(lines: ReturnType<typeof auditLines>): void {
    const url = URL.createObjectURL(new Blob([auditCsv(lines)], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'audit-log.csv';
    this.renderRoot.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ors-audit-dialog': AuditDialog;
  }
}
