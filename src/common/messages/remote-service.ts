import type { Catalogue } from '../i18n.js';

/** Messages of the Remote Service node, its dialog and `ors config` (codes prefixed "remote-service."). */
export const remoteServiceMessages: Catalogue = {
  'remote-service.org-id-required': {
    en: 'Enter the service organisation ID your service organisation gave you.',
    de: 'Geben Sie die Kundendienstorganisation-ID ein, die Sie von Ihrer Kundendienstorganisation erhalten haben.',
  },
  'remote-service.org-id-invalid': {
    en: '{value} is not a service organisation ID: use up to 64 letters, digits, dots, hyphens or underscores, starting with a letter or digit.',
    de: '{value} ist keine Kundendienstorganisation-ID: Verwenden Sie bis zu 64 Buchstaben, Ziffern, Punkte, Bindestriche oder Unterstriche, beginnend mit einem Buchstaben oder einer Ziffer.',
  },
  'remote-service.code-required': {
    en: 'Enter the verification code of your service organisation.',
    de: 'Geben Sie den Überprüfungscode Ihrer Kundendienstorganisation ein.',
  },
  'remote-service.code-invalid': {
    en: 'The verification code must be at most 128 characters long and must not contain control characters.',
    de: 'Der Überprüfungscode darf höchstens 128 Zeichen lang sein und keine Steuerzeichen enthalten.',
  },
  'remote-service.backoffice-url-required': {
    en: 'Enter the address of the remote-service back office (https://…).',
    de: 'Geben Sie die Adresse des Remote-Service-Back-Office ein (https://…).',
  },
  'remote-service.backoffice-url-invalid': {
    en: '{value} is not an https:// address.',
    de: '{value} ist keine https://-Adresse.',
  },
  'remote-service.backoffice-url-credentials': {
    en: 'The back-office address must not contain a user name or password.',
    de: 'Die Adresse des Back-Office darf weder Benutzernamen noch Passwort enthalten.',
  },
  'remote-service.ca-file-invalid': {
    en: '{value} is not an absolute path of a certificate file (PEM).',
    de: '{value} ist kein absoluter Pfad einer Zertifikatsdatei (PEM).',
  },
  'remote-service.service-control-invalid': {
    en: '{value} is not a way to run the ORS service: use auto, embedded, systemd or windows.',
    de: '{value} ist keine Art, den ORS-Dienst auszuführen: Verwenden Sie auto, embedded, systemd oder windows.',
  },
  'remote-service.proxy-mode-invalid': {
    en: '{value} is not a proxy setting: choose no proxy, detect automatically or manual.',
    de: '{value} ist keine Proxy-Einstellung: Wählen Sie „Kein Proxy“, „Automatisch erkennen“ oder „Manuell“.',
  },
  'remote-service.proxy-host-required': {
    en: 'Enter the host name or IP address of the proxy server.',
    de: 'Geben Sie den Hostnamen oder die IP-Adresse des Proxy-Servers ein.',
  },
  'remote-service.proxy-port-required': {
    en: 'Enter the port the proxy server uses (1–65535).',
    de: 'Geben Sie die vom Proxy-Server verwendete Anschlussnummer ein (1–65535).',
  },
  'remote-service.proxy-user-required': {
    en: 'Enter the user name for the proxy server, or switch proxy server authentication off.',
    de: 'Geben Sie den Benutzernamen für den Proxy-Server ein oder schalten Sie die Proxy-Serverauthentifizierung aus.',
  },
  'remote-service.proxy-user-invalid': {
    en: '{value} is not a valid proxy user name (no colon, no control characters).',
    de: '{value} ist kein gültiger Proxy-Benutzername (kein Doppelpunkt, keine Steuerzeichen).',
  },
  'remote-service.proxy-password-required': {
    en: 'Enter the password for the proxy server (case-sensitive).',
    de: 'Geben Sie das Passwort für den Proxy-Server ein (Groß-/Kleinschreibung wird berücksichtigt).',
  },
  'remote-service.password-invalid': {
    en: 'The password must not contain a line break or start with a blank.',
    de: 'Das Passwort darf keinen Zeilenumbruch enthalten und nicht mit einem Leerzeichen beginnen.',
  },
  'ors-account.kind-invalid': { en: 'Choose Local System or another account.', de: 'Wählen Sie „Lokales Systemkonto“ oder „Anderes Konto“.' },
  'ors-account.required-remote': {
    en: 'The license server is remote: the ORS service needs an account that may write to its shared license folder. Choose "Other account".',
    de: 'Der Lizenzserver ist remote: Der ORS-Dienst braucht ein Konto, das in seinen freigegebenen Lizenzordner schreiben darf. Wählen Sie „Anderes Konto“.',
  },
  'ors-account.user-required': { en: 'Enter the user name of the account together with its password.', de: 'Geben Sie den Benutzernamen des Kontos zusammen mit seinem Passwort ein.' },
  'ors-account.user-invalid': { en: '{value} is not a valid user name.', de: '{value} ist kein gültiger Benutzername.' },
  'ors-account.domain-invalid': { en: '{value} is not a valid domain name.', de: '{value} ist kein gültiger Domänenname.' },
  'ors-account.password-required': {
    en: 'Enter the password of the account together with its user name (case-sensitive).',
    de: 'Geben Sie das Passwort des Kontos zusammen mit seinem Benutzernamen ein (Groß-/Kleinschreibung wird berücksichtigt).',
  },
  'ors-account.password-invalid': {
    en: 'The password must not contain a line break or start with a blank.',
    de: 'Das Passwort darf keinen Zeilenumbruch enthalten und nicht mit einem Leerzeichen beginnen.',
  },
  'remote-service.no-serial': {
    en: 'No serial number: the selected license server serves no license. Select the license server under Licenses → Select license server.',
    de: 'Keine Seriennummer: Der ausgewählte Lizenzserver stellt keine Lizenz bereit. Wählen Sie den Lizenzserver unter Lizenzen → Lizenzserver auswählen aus.',
  },
  'remote-service.no-service-control': {
    en: 'The ORS service cannot be controlled from this console (no service control is available).',
    de: 'Der ORS-Dienst kann von dieser Konsole aus nicht gesteuert werden (keine Dienststeuerung verfügbar).',
  },
  'remote-service.restart-timeout': {
    en: 'The ORS service did not report within {seconds} s after the restart.',
    de: 'Der ORS-Dienst hat sich nach dem Neustart nicht innerhalb von {seconds} s gemeldet.',
  },
  'remote-service.restart-failed': {
    en: 'The ORS service could not be restarted: {reason}',
    de: 'Der ORS-Dienst konnte nicht neu gestartet werden: {reason}',
  },
  'remote-service.row.purpose': { en: 'Automatic license update and remote assistance', de: 'Automatische Lizenzaktualisierung und Remote-Unterstützung' },
  'remote-service.row.disabled': { en: 'Disabled', de: 'Deaktiviert' },
  'remote-service.row.unknown': { en: 'Service state unknown', de: 'Dienststatus unbekannt' },
  'remote-service.row.not-running': { en: 'ORS service not running', de: 'ORS-Dienst läuft nicht' },
  'remote-service.row.open-to-start': { en: 'Open the properties to start the service.', de: 'Öffnen Sie die Eigenschaften, um den Dienst zu starten.' },
  'remote-service.row.starting': { en: 'Starting…', de: 'Wird gestartet…' },
  'remote-service.row.not-configured': { en: 'Not configured', de: 'Nicht konfiguriert' },
  'remote-service.row.missing': { en: 'Missing: {missing:list}', de: 'Es fehlt: {missing:list}' },
  'remote-service.row.connecting': { en: 'Connecting…', de: 'Verbindung wird hergestellt…' },
  'remote-service.row.connected': { en: 'Connected', de: 'Verbunden' },
  'remote-service.row.serial': { en: 'Serial number {serial}', de: 'Seriennummer {serial}' },
  'remote-service.row.error': { en: 'Error', de: 'Fehler' },
  'remote-service.fb.not-configured': { en: 'Not configured: {missing:list} missing.', de: 'Nicht konfiguriert: Es fehlt {missing:list}.' },
  'remote-service.fb.failed-at': { en: 'Failed at: {hop}', de: 'Fehlgeschlagen bei: {hop}' },
  'remote-service.fb.expiry': { en: 'license expiry: {expiry:expiry}', de: 'Lizenzablauf: {expiry:expiry}' },
  'remote-service.fb.maintenance': { en: 'maintenance until {end:date}', de: 'Wartung bis {end:date}' },
  'remote-service.fb.users': { en: '{users:plural|# user|# users}', de: '{users:plural|# Benutzer|# Benutzer}' },
  'field.serial': { en: 'serial number', de: 'Seriennummer' },
  'field.organisationId': { en: 'service organisation ID', de: 'Kundendienstorganisation-ID' },
  'field.verificationCode': { en: 'verification code', de: 'Überprüfungscode' },
  'field.backofficeUrl': { en: 'back-office address', de: 'Back-Office-Adresse' },
  'field.proxy.host': { en: 'proxy host name', de: 'Hostname des Proxy-Servers' },
  'field.proxy.port': { en: 'proxy port', de: 'Port des Proxy-Servers' },
  'field.proxy.username': { en: 'proxy user name', de: 'Benutzername für den Proxy-Server' },
  'field.proxyPassword': { en: 'proxy password', de: 'Passwort für den Proxy-Server' },
  'field.orsAccountPassword': { en: 'ORS service account password', de: 'Passwort des ORS-Dienstkontos' },
  'remote-service.restart.title': { en: 'Restarting the ORS service', de: 'ORS-Dienst wird neu gestartet' },
  'remote-service.restart.saving': { en: 'Saving the settings…', de: 'Einstellungen werden gespeichert…' },
  'remote-service.restart.stopping': { en: 'Restarting the ORS service…', de: 'Der ORS-Dienst wird neu gestartet…' },
  'remote-service.restart.waiting': { en: 'Waiting for the ORS service to report…', de: 'Warten auf die Rückmeldung des ORS-Dienstes…' },
  'remote-service.restart.done': { en: 'The ORS service is running.', de: 'Der ORS-Dienst läuft.' },
  'remote-service.config.unknown-key': {
    en: '{key} is not a setting. Known settings: {keys}',
    de: '{key} ist keine Einstellung. Bekannte Einstellungen: {keys}',
  },
  'remote-service.config.unknown-secret': {
    en: '{name} is not a secret. Known secrets: {names}',
    de: '{name} ist kein Geheimnis. Bekannte Geheimnisse: {names}',
  },
  'remote-service.config.not-boolean': { en: '{key} takes true or false, not {value}.', de: '{key} erwartet true oder false, nicht {value}.' },
  'remote-service.config.secret-is-write-only': {
    en: '{key} is a secret: set it with `ors config set-secret {key}` (value from standard input); it is never shown.',
    de: '{key} ist ein Geheimnis: Setzen Sie es mit `ors config set-secret {key}` (Wert über die Standardeingabe); es wird nie angezeigt.',
  },
  'remote-service.config.stdin-empty': {
    en: 'Standard input was empty: pipe the secret into the command.',
    de: 'Die Standardeingabe war leer: Leiten Sie das Geheimnis in den Befehl.',
  },
  'remote-service.config.saved': { en: '{key} saved (settings version {version}).', de: '{key} gespeichert (Einstellungsversion {version}).' },
  'remote-service.config.secret-saved': { en: 'Secret {name} changed.', de: 'Geheimnis {name} geändert.' },
  'remote-service.config.secret-for-other-endpoint': {
    en: 'The stored {name} was saved for another address and is not sent to {endpoint}. Enter it again: ors config set-secret {name}',
    de: 'Das gespeicherte Geheimnis {name} wurde für eine andere Adresse gespeichert und wird nicht an {endpoint} gesendet. Geben Sie es erneut ein: ors config set-secret {name}',
  },
};
