import type { Catalogue } from '../i18n.js';

/** Messages of the ORS service and its control (codes prefixed "ors."). */
export const orsMessages: Catalogue = {
  // Back-office client
  'ors.backoffice.bad-response': { en: 'The back office sent an answer that is not a valid {what}.', de: 'Das Back Office hat eine Antwort gesendet, die kein gültiges Objekt {what} ist.' },
  'ors.backoffice.unexpected-status': { en: 'The back office answered with HTTP status {status}.', de: 'Das Back Office hat mit dem HTTP-Status {status} geantwortet.' },
  'ors.backoffice.url-invalid': { en: 'The back-office address {url} is not a valid HTTPS URL.', de: 'Die Back-Office-Adresse {url} ist keine gültige HTTPS-URL.' },
  'ors.ca-file-unreadable': { en: 'The CA file {path} cannot be read ({reason}).', de: 'Die CA-Datei {path} kann nicht gelesen werden ({reason}).' },
  // Serial number
  'ors.serial.none-served': { en: 'The selected license server serves no license, so the serial number is unknown.', de: 'Der ausgewählte Lizenzserver stellt keine Lizenz bereit; die Seriennummer ist daher unbekannt.' },
  'ors.serial.no-license-server': { en: 'No license server is selected, so the serial number is unknown.', de: 'Es ist kein Lizenzserver ausgewählt; die Seriennummer ist daher unbekannt.' },
  // Hints by failed hop (ConnectionState.error.hop)
  'ors.hint.login': { en: 'Check the service organisation ID and the verification code.', de: 'Prüfen Sie die ID der Kundendienstorganisation und den Verifizierungscode.' },
  'ors.hint.proxy': { en: 'Check the proxy address, port and the proxy user name and password.', de: 'Prüfen Sie Adresse und Port des Proxys sowie Benutzername und Kennwort für den Proxy.' },
  'ors.hint.tls': { en: 'The secure connection failed: check the CA file, or whether a proxy inspects TLS.', de: 'Die sichere Verbindung ist fehlgeschlagen: Prüfen Sie die CA-Datei oder ob ein Proxy TLS untersucht.' },
  'ors.hint.serial': { en: 'The back office does not know this serial number for the organisation: check the license and the organisation ID.', de: 'Das Back Office kennt diese Seriennummer für die Organisation nicht: Prüfen Sie die Lizenz und die Organisations-ID.' },
  'ors.hint.backoffice': { en: 'The back office cannot be reached or failed; it is tried again automatically.', de: 'Das Back Office ist nicht erreichbar oder fehlerhaft; es wird automatisch erneut versucht.' },
  // Connection states
  'ors.connection.disabled': { en: 'The remote service is disabled.', de: 'Der Remote Service ist deaktiviert.' },
  'ors.connection.not-configured': { en: 'Settings are missing: {missing}.', de: 'Es fehlen Einstellungen: {missing}.' },
  'ors.connection.connecting': { en: 'Connecting to the back office…', de: 'Verbindung zum Back Office wird hergestellt …' },
  'ors.connection.connected': { en: 'Connected to the back office since {since}.', de: 'Seit {since} mit dem Back Office verbunden.' },
  'ors.connection.error': { en: 'The connection to the back office failed.', de: 'Die Verbindung zum Back Office ist fehlgeschlagen.' },
  // Local endpoint
  'ors.already-running': {
    en: 'The ORS service is already running for the data folder {path} (process {pid}). Stop that one first.',
    de: 'Der ORS-Dienst läuft für den Datenordner {path} bereits (Prozess {pid}). Beenden Sie zuerst diesen.',
  },
  'ors.endpoint.unauthorised': { en: 'The request to the ORS service carries no valid token.', de: 'Die Anfrage an den ORS-Dienst enthält kein gültiges Token.' },
  'ors.endpoint.method-not-allowed': { en: 'The ORS service endpoint answers GET, and POST for its actions.', de: 'Der Endpunkt des ORS-Dienstes beantwortet GET und für seine Aktionen POST.' },
  'ors.endpoint.not-found': { en: 'No such ORS service resource.', de: 'Diese Ressource des ORS-Dienstes gibt es nicht.' },
  'ors.endpoint.busy': { en: 'Too many status streams are open.', de: 'Es sind zu viele Status-Streams geöffnet.' },
  // Automatic license update (SPEC F5, F6)
  'ors.update.not-pending': { en: 'License {licenseId} is not waiting for this action.', de: 'Die Lizenz {licenseId} wartet nicht auf diese Aktion.' },
  'ors.update.not-running': { en: 'The automatic license update is not running: the ORS service is not connected to the back office yet.', de: 'Die automatische Lizenzaktualisierung läuft nicht: Der ORS-Dienst ist noch nicht mit dem Back Office verbunden.' },
  'ors.update.daemon-unreachable': { en: 'The ORS service cannot be reached.', de: 'Der ORS-Dienst ist nicht erreichbar.' },
  'ors.update.metadata-mismatch': { en: 'The back office delivered license {licenseId} (sequence {seq}), but the signed file says otherwise.', de: 'Das Back Office hat die Lizenz {licenseId} (Folgenummer {seq}) geliefert, die signierte Datei sagt jedoch etwas anderes.' },
  'ors.update.event.installed': { en: 'License {licenseId} was installed and the license server serves it: {changes}.', de: 'Die Lizenz {licenseId} wurde installiert und vom Lizenzserver bereitgestellt: {changes}.' },
  'ors.update.event.awaiting-confirmation': { en: 'License {licenseId} takes something away ({changes}); it is installed only when you confirm it.', de: 'Die Lizenz {licenseId} schränkt etwas ein ({changes}); sie wird erst nach Ihrer Bestätigung installiert.' },
  'ors.update.event.manual-pending': { en: 'License {licenseId} could not be installed automatically. It is kept in {file}: copy it into the license folder {target} of the license server, or fix the share and choose Retry.', de: 'Die Lizenz {licenseId} konnte nicht automatisch installiert werden. Sie liegt in {file}: Kopieren Sie sie in den Lizenzordner {target} des Lizenzservers, oder beheben Sie das Problem mit der Freigabe und wählen Sie „Wiederholen“.' },
  'ors.update.event.rejected': { en: 'License {licenseId} from the back office was rejected and not installed: {reason}', de: 'Die Lizenz {licenseId} aus dem Back Office wurde abgelehnt und nicht installiert: {reason}' },
  'ors.update.event.failed': { en: 'License {licenseId} was not taken into use: {reason} The installed license is unchanged.', de: 'Die Lizenz {licenseId} wurde nicht in Betrieb genommen: {reason} Die installierte Lizenz ist unverändert.' },
  'ors.update.phase.stopped': { en: 'The automatic license update stopped: the back office refused the credentials. It resumes when the settings change.', de: 'Die automatische Lizenzaktualisierung wurde angehalten: Das Back Office hat die Anmeldedaten abgelehnt. Sie wird fortgesetzt, sobald sich die Einstellungen ändern.' },
  'ors.update.check.source-backoffice': { en: 'Answered by the back office ({url}).', de: 'Antwort des Back Office ({url}).' },
  'ors.update.check.source-license': { en: 'Answered from the installed license {file} (the back office was not asked: {reason}).', de: 'Antwort aus der installierten Lizenz {file} (das Back Office wurde nicht gefragt: {reason}).' },
  'ors.update.check.no-data-dir': { en: 'no --data-dir with the Remote Service settings was given', de: 'es wurde kein --data-dir mit den Remote-Service-Einstellungen angegeben' },
  'ors.update.check.backoffice-unavailable': { en: 'The back office could not be asked: {reason}', de: 'Das Back Office konnte nicht gefragt werden: {reason}' },
  'ors.update.check.release-allowed': { en: 'Release {release} may be installed: maintenance {start} – {end} covers its date {releaseDate}.', de: 'Release {release} darf installiert werden: Die Wartung {start} – {end} deckt sein Datum {releaseDate} ab.' },
  'ors.update.check.release-denied': { en: 'Release {release} ({releaseDate}) may not be installed: {reason}', de: 'Release {release} ({releaseDate}) darf nicht installiert werden: {reason}' },
  'ors.update.check.denial.no-entitlement': { en: 'the back office has no entitlement for this installation.', de: 'Das Back Office hat keine Berechtigung für diese Installation.' },
  'ors.update.check.denial.license-expired': { en: 'the license has expired.', de: 'Die Lizenz ist abgelaufen.' },
  'ors.update.check.denial.maintenance-ended-before-release': { en: 'maintenance ended before the release date.', de: 'Die Wartung endete vor dem Release-Datum.' },
  'ors.update.check.denial.release-before-maintenance': { en: 'the release is older than the maintenance period.', de: 'Das Release ist älter als der Wartungszeitraum.' },
  // Service control
  'ors.control.spawn-failed': { en: 'The ORS service could not be started: {reason}.', de: 'Der ORS-Dienst konnte nicht gestartet werden: {reason}.' },
  'ors.control.command-failed': { en: '{command} failed (exit code {code}): {detail}', de: '{command} ist fehlgeschlagen (Exit-Code {code}): {detail}' },
  'ors.control.not-installed': { en: 'The ORS service {name} is not installed.', de: 'Der ORS-Dienst {name} ist nicht installiert.' },
  'ors.control.unsupported': { en: 'Service control {backend} is not available on this system.', de: 'Die Dienststeuerung {backend} ist auf diesem System nicht verfügbar.' },
  'ors.control.access-denied': { en: 'Not allowed to control the ORS service: run the console with administrator rights.', de: 'Keine Berechtigung, den ORS-Dienst zu steuern: Starten Sie die Konsole mit Administratorrechten.' },
  'ors.control.account-failed': { en: 'The service account could not be set (code {code}).', de: 'Das Dienstkonto konnte nicht gesetzt werden (Code {code}).' },
  'ors.control.timeout': { en: 'The ORS service did not {action} within {seconds} s.', de: 'Der ORS-Dienst hat „{action}“ nicht innerhalb von {seconds} s abgeschlossen.' },
};
