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
  'ors.endpoint.unauthorised': { en: 'The request to the ORS service carries no valid token.', de: 'Die Anfrage an den ORS-Dienst enthält kein gültiges Token.' },
  'ors.endpoint.method-not-allowed': { en: 'The ORS service endpoint only answers GET.', de: 'Der Endpunkt des ORS-Dienstes beantwortet nur GET.' },
  'ors.endpoint.not-found': { en: 'No such ORS service resource.', de: 'Diese Ressource des ORS-Dienstes gibt es nicht.' },
  'ors.endpoint.busy': { en: 'Too many status streams are open.', de: 'Es sind zu viele Status-Streams geöffnet.' },
  // Service control
  'ors.control.spawn-failed': { en: 'The ORS service could not be started: {reason}.', de: 'Der ORS-Dienst konnte nicht gestartet werden: {reason}.' },
  'ors.control.command-failed': { en: '{command} failed (exit code {code}): {detail}', de: '{command} ist fehlgeschlagen (Exit-Code {code}): {detail}' },
  'ors.control.not-installed': { en: 'The ORS service {name} is not installed.', de: 'Der ORS-Dienst {name} ist nicht installiert.' },
  'ors.control.unsupported': { en: 'Service control {backend} is not available on this system.', de: 'Die Dienststeuerung {backend} ist auf diesem System nicht verfügbar.' },
  'ors.control.access-denied': { en: 'Not allowed to control the ORS service: run the console with administrator rights.', de: 'Keine Berechtigung, den ORS-Dienst zu steuern: Starten Sie die Konsole mit Administratorrechten.' },
  'ors.control.account-failed': { en: 'The service account could not be set (code {code}).', de: 'Das Dienstkonto konnte nicht gesetzt werden (Code {code}).' },
  'ors.control.timeout': { en: 'The ORS service did not {action} within {seconds} s.', de: 'Der ORS-Dienst hat „{action}“ nicht innerhalb von {seconds} s abgeschlossen.' },
};
