import type { Catalogue } from '../i18n.js';

/** Messages of the license-update announcements and actions (SPEC F5; codes prefixed "license-update."). */
export const licenseUpdateMessages: Catalogue = {
  // Announcements: one per UpdateEvent kind ({changes} is the entitlement diff of license.diff.*)
  'license-update.installed': {
    en: 'License {serial} updated: {changes}.',
    de: 'Lizenz {serial} aktualisiert: {changes}.',
  },
  'license-update.awaiting-confirmation': {
    en: 'A new license for {serial} takes something away and waits for your confirmation: {changes}.',
    de: 'Eine neue Lizenz für {serial} schränkt die Berechtigungen ein und wartet auf Ihre Bestätigung: {changes}.',
  },
  'license-update.manual-pending': {
    en: 'The new license for {serial} could not be installed automatically ({changes}).',
    de: 'Die neue Lizenz für {serial} konnte nicht automatisch installiert werden ({changes}).',
  },
  'license-update.rejected': {
    en: 'A license for {serial} from the back office was rejected and not installed. Reason: {reason}',
    de: 'Eine Lizenz für {serial} vom Back-Office wurde abgelehnt und nicht installiert. Grund: {reason}',
  },
  'license-update.failed': {
    en: 'The license update for {serial} failed; the installed license is unchanged. Reason: {reason}',
    de: 'Die Lizenzaktualisierung für {serial} ist fehlgeschlagen; die installierte Lizenz ist unverändert. Grund: {reason}',
  },
  'license-update.declined': {
    en: 'You kept the current license of {serial}; the new license ({changes}) was declined and is not offered again.',
    de: 'Sie haben die aktuelle Lizenz von {serial} behalten; die neue Lizenz ({changes}) wurde abgelehnt und wird nicht erneut angeboten.',
  },
  'license-update.no-reason': { en: 'none given.', de: 'keiner angegeben.' },
  // Details
  'license-update.detail.confirm': {
    en: 'It is installed only when you choose [Install anyway]. The file waits in {file}.',
    de: 'Sie wird erst installiert, wenn Sie [Trotzdem installieren] wählen. Die Datei liegt in {file}.',
  },
  'license-update.detail.confirm-no-file': {
    en: 'It is installed only when you choose [Install anyway].',
    de: 'Sie wird erst installiert, wenn Sie [Trotzdem installieren] wählen.',
  },
  'license-update.steps': {
    en: '1. Copy {file} to the license folder {target} of the license server. 2. Install it there (the license server picks it up from its license folder). Or fix the access to the shared license folder and choose [Retry].',
    de: '1. Kopieren Sie {file} in den Lizenzordner {target} des Lizenzservers. 2. Installieren Sie sie dort (der Lizenzserver übernimmt sie aus seinem Lizenzordner). Oder beheben Sie den Zugriff auf den freigegebenen Lizenzordner und wählen Sie [Wiederholen].',
  },
  'license-update.steps-no-target': {
    en: '1. Copy {file} to the license folder of the license server. 2. Install it there (the license server picks it up from its license folder). Or fix the access to the license folder and choose [Retry].',
    de: '1. Kopieren Sie {file} in den Lizenzordner des Lizenzservers. 2. Installieren Sie sie dort (der Lizenzserver übernimmt sie aus seinem Lizenzordner). Oder beheben Sie den Zugriff auf den Lizenzordner und wählen Sie [Wiederholen].',
  },
  'license-update.manual-reason': { en: 'The automatic install failed: {reason}', de: 'Die automatische Installation ist fehlgeschlagen: {reason}' },
  'license-update.step.copy': {
    en: 'Copy {file} from the license path to the license folder {target} of the license server.',
    de: 'Kopieren Sie {file} aus dem Lizenzpfad in den Lizenzordner {target} des Lizenzservers.',
  },
  'license-update.step.copy-no-target': {
    en: 'Copy {file} from the license path to the license folder of the license server.',
    de: 'Kopieren Sie {file} aus dem Lizenzpfad in den Lizenzordner des Lizenzservers.',
  },
  'license-update.step.install': {
    en: 'Install it there: the license server takes it from its license folder within seconds.',
    de: 'Installieren Sie sie dort: Der Lizenzserver übernimmt sie innerhalb von Sekunden aus seinem Lizenzordner.',
  },
  'license-update.step.retry': {
    en: 'Or fix the access to the license folder and choose [Retry].',
    de: 'Oder beheben Sie den Zugriff auf den Lizenzordner und wählen Sie [Wiederholen].',
  },
  // Actions
  'license-update.action.confirm': { en: 'Install anyway', de: 'Trotzdem installieren' },
  'license-update.action.decline': { en: 'Keep current license', de: 'Aktuelle Lizenz behalten' },
  'license-update.action.retry': { en: 'Retry', de: 'Wiederholen' },
  'license-update.action.open': { en: 'Licenses…', de: 'Lizenzen…' },
  // Phases of the update loop
  'license-update.phase.idle': { en: 'Idle', de: 'Bereit' },
  'license-update.phase.waiting': { en: 'Waiting for a new license', de: 'Wartet auf eine neue Lizenz' },
  'license-update.phase.downloading': { en: 'Downloading a new license…', de: 'Neue Lizenz wird heruntergeladen…' },
  'license-update.phase.verifying': { en: 'Verifying a new license…', de: 'Neue Lizenz wird geprüft…' },
  'license-update.phase.installing': { en: 'Installing a new license…', de: 'Neue Lizenz wird installiert…' },
  'license-update.phase.confirming': { en: 'Checking that the license server serves the new license…', de: 'Es wird geprüft, ob der Lizenzserver die neue Lizenz verwendet…' },
  'license-update.phase.stopped': { en: 'Stopped', de: 'Angehalten' },
  'license-update.phase.waiting-for-you': {
    en: '{n:plural|A new license waits for your decision|# new licenses wait for your decision}',
    de: '{n:plural|Eine neue Lizenz wartet auf Ihre Entscheidung|# neue Lizenzen warten auf Ihre Entscheidung}',
  },
  'license-update.phase.manual': { en: 'A new license waits to be installed by hand', de: 'Eine neue Lizenz wartet auf die manuelle Installation' },
  'license-update.phase.not-running': { en: 'The ORS service is not running.', de: 'Der ORS-Dienst läuft nicht.' },
  'license-update.phase.no-loop': { en: 'The ORS service does not report an automatic license update.', de: 'Der ORS-Dienst meldet keine automatische Lizenzaktualisierung.' },
  // Errors
  'license-update.service-not-running': {
    en: 'The ORS service is not running: start it in the Remote Service dialog.',
    de: 'Der ORS-Dienst läuft nicht: Starten Sie ihn im Dialog Remote Service.',
  },
  'license-update.invalid-license-id': {
    en: 'Not a license ID: {licenseId}',
    de: 'Keine Lizenz-ID: {licenseId}',
  },
  'license-update.not-pending': {
    en: 'The license {licenseId} is not waiting for this action (any more).',
    de: 'Die Lizenz {licenseId} wartet nicht (mehr) auf diese Aktion.',
  },
  'license-update.action-failed': {
    en: 'The ORS service did not carry out the action: {reason}',
    de: 'Der ORS-Dienst hat die Aktion nicht ausgeführt: {reason}',
  },
};
