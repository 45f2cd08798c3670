import type { Catalogue } from '../i18n.js';

/**
 * Data texts of the remote-service website (issue 14; codes prefixed "website."): states, receipts
 * and reasons the back office answers with. The pages' own labels are @lit/localize templates.
 */
export const websiteMessages: Catalogue = {
  'website.offline': { en: 'The back office cannot be reached; check the network and try again.', de: 'Das Back-Office ist nicht erreichbar; prüfen Sie das Netzwerk und versuchen Sie es erneut.' },
  'website.unexpected-status': { en: 'The back office answered with status {status}.', de: 'Das Back-Office hat mit Status {status} geantwortet.' },
  // Connection
  'website.connection.connected': { en: 'Connected', de: 'Verbunden' },
  'website.connection.last-seen': { en: 'Last seen {at:datetime}', de: 'Zuletzt gesehen {at:datetime}' },
  'website.connection.never': { en: 'Never connected', de: 'Nie verbunden' },
  // Licenses
  'website.license.none': { en: 'No license issued', de: 'Keine Lizenz ausgestellt' },
  'website.license.served': { en: 'seq {seq}', de: 'seq {seq}' },
  'website.license.installed': { en: 'seq {seq} installed', de: 'seq {seq} installiert' },
  'website.license.not-fetched': { en: 'not fetched yet', de: 'noch nicht abgeholt' },
  'website.license.fetched': { en: 'fetched {at:datetime}', de: 'abgeholt {at:datetime}' },
  // What waits at the installation
  'website.pending.awaiting-confirmation': { en: 'Waiting for confirmation (seq {seq})', de: 'Wartet auf Bestätigung (seq {seq})' },
  'website.pending.manual-pending': { en: 'Manual install needed (seq {seq}): {reason}', de: 'Manuelle Installation nötig (seq {seq}): {reason}' },
  'website.pending.declined': { en: 'Declined by the administrator (seq {seq})', de: 'Vom Administrator abgelehnt (seq {seq})' },
  'website.pending.failed': { en: 'Failed (seq {seq}): {reason}', de: 'Fehlgeschlagen (seq {seq}): {reason}' },
  'website.pending.none': { en: 'Nothing pending', de: 'Nichts ausstehend' },
  // Receipts
  'website.receipt.installed': { en: 'Installed', de: 'Installiert' },
  'website.receipt.copied-remote': { en: 'Installed on the remote license server', de: 'Auf dem entfernten Lizenzserver installiert' },
  'website.receipt.manual-pending': { en: 'Manual install needed', de: 'Manuelle Installation nötig' },
  'website.receipt.failed': { en: 'Failed', de: 'Fehlgeschlagen' },
  'website.receipt.declined': { en: 'Declined', de: 'Abgelehnt' },
  // Why an installation refused a request for remote assistance (the technician's view)
  'website.refusal.not-allowed': {
    en: 'The administrator has not allowed remote assistance on this installation (Remote Service → Remote assistance → [Allow remote assistance]).',
    de: 'Der Administrator hat die Remote-Unterstützung auf dieser Installation nicht zugelassen (Remote Service → Remote-Unterstützung → [Fernunterstützung zulassen]).',
  },
  'website.refusal.license-update': { en: 'The installation’s automatic license update is not connected.', de: 'Die automatische Lizenzaktualisierung der Installation ist nicht verbunden.' },
  'website.refusal.feature': { en: 'The Remote Assistance feature is switched off at the installation.', de: 'Die Funktion Remote Assistance ist bei der Installation ausgeschaltet.' },
  'website.refusal.teamviewer': { en: 'TeamViewer is not available on the installation’s machine.', de: 'TeamViewer ist auf dem Rechner der Installation nicht verfügbar.' },
  'website.refusal.proxy': {
    en: 'The installation’s proxy is set to auto-detect, which remote assistance cannot use.',
    de: 'Der Proxy der Installation steht auf automatischer Erkennung, die die Remote-Unterstützung nicht nutzen kann.',
  },
  'website.assistance.failed': { en: 'TeamViewer did not start: {reason}', de: 'TeamViewer ist nicht gestartet: {reason}' },
  'website.assistance.by': { en: 'Requested by {technician} at {at:datetime}: “{message}”', de: 'Angefragt von {technician} am {at:datetime}: „{message}“' },
  'website.assistance.expires': { en: 'Expires {at:relative}', de: 'Verfällt {at:relative}' },
  // Audit (the back office's side)
  'website.audit.staff.login': { en: 'logged in', de: 'hat sich angemeldet' },
  'website.audit.staff.logout': { en: 'logged out', de: 'hat sich abgemeldet' },
  'website.audit.entitlement.change': { en: 'changed the entitlement', de: 'hat die Berechtigung geändert' },
  'website.audit.release.add': { en: 'added a release', de: 'hat ein Release hinzugefügt' },
  'website.audit.assistance.request': { en: 'asked for remote assistance', de: 'hat um Remote-Unterstützung gebeten' },
  'website.audit.assistance.cancel': { en: 'withdrew the request for remote assistance', de: 'hat die Anfrage nach Remote-Unterstützung zurückgezogen' },
  'website.audit.assistance.report': { en: 'answered the request for remote assistance', de: 'hat die Anfrage nach Remote-Unterstützung beantwortet' },
  'website.audit.field.seq': { en: 'license revision', de: 'Lizenzrevision' },
  'website.audit.field.users': { en: 'users', de: 'Benutzer' },
  'website.audit.field.maintenanceStart': { en: 'maintenance start', de: 'Wartungsbeginn' },
  'website.audit.field.maintenanceEnd': { en: 'maintenance end', de: 'Wartungsende' },
  'website.audit.field.expiry': { en: 'expiry', de: 'Ablaufdatum' },
  'website.audit.field.features': { en: 'features', de: 'Funktionen' },
  'website.audit.field.kind': { en: 'answer', de: 'Antwort' },
  'website.audit.field.reason': { en: 'reason', de: 'Grund' },
  'website.audit.field.teamViewerId': { en: 'TeamViewer ID', de: 'TeamViewer-ID' },
  'website.audit.field.from': { en: 'from address', de: 'von Adresse' },
  'website.audit.field.product': { en: 'product', de: 'Produkt' },
  'website.audit.field.version': { en: 'version', de: 'Version' },
  'website.audit.field.date': { en: 'date', de: 'Datum' },
  'website.audit.field.name': { en: 'name', de: 'Name' },
  'website.audit.field.role': { en: 'role', de: 'Rolle' },
};
