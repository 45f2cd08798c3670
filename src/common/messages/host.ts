import type { Catalogue } from '../i18n.js';

/** Messages of the admin console host (codes prefixed "host.", "plugin.", "rpc.", "settings.", "secrets."). */
export const hostMessages: Catalogue = {
  'host.unknown-node': { en: 'There is no node "{node}".', de: 'Es gibt keinen Knoten „{node}“.' },
  'host.unknown-command': { en: 'There is no command "{command}".', de: 'Es gibt keinen Befehl „{command}“.' },
  'host.already-running': {
    en: 'A console is already running for the data folder {path} (process {pid}). Open that one, stop it first, or start this one with another --data-dir.',
    de: 'Für den Datenordner {path} läuft bereits eine Konsole (Prozess {pid}). Öffnen Sie diese, beenden Sie sie zuerst oder starten Sie diese hier mit einem anderen --data-dir.',
  },
  'host.plugin-faulted': { en: 'The plugin "{plugin}" could not be loaded.', de: 'Das Plug-in „{plugin}“ konnte nicht geladen werden.' },
  'plugin.manifest-unreadable': { en: 'The manifest {path} cannot be read: {reason}', de: 'Das Manifest {path} kann nicht gelesen werden: {reason}' },
  'plugin.manifest-invalid': { en: 'The manifest is invalid at {field}: {reason}', de: 'Das Manifest ist bei {field} ungültig: {reason}' },
  'plugin.engine-mismatch': {
    en: 'The plugin needs host API {required}; this console provides {actual}.',
    de: 'Das Plug-in benötigt die Host-API {required}; diese Konsole bietet {actual}.',
  },
  'plugin.unknown-reference': { en: 'The manifest refers to an unknown "{value}" at {field}.', de: 'Das Manifest verweist bei {field} auf ein unbekanntes „{value}“.' },
  'plugin.duplicate-id': { en: 'The manifest declares "{value}" twice at {field}.', de: 'Das Manifest deklariert „{value}“ bei {field} doppelt.' },
  'plugin.l10n-missing': { en: 'The manifest has no {locale} text for "{key}".', de: 'Das Manifest hat keinen Text in {locale} für „{key}“.' },
  'plugin.main-missing': { en: 'The plugin entry {path} does not exist (was the project built?).', de: 'Der Plug-in-Einstiegspunkt {path} existiert nicht (wurde das Projekt gebaut?).' },
  'plugin.no-activate': { en: 'The plugin entry {path} exports no activate function.', de: 'Der Plug-in-Einstiegspunkt {path} exportiert keine activate-Funktion.' },
  'plugin.activation-timeout': { en: 'The plugin "{plugin}" did not activate within {seconds} s.', de: 'Das Plug-in „{plugin}“ wurde nicht innerhalb von {seconds} s aktiviert.' },
  'plugin.command-without-handler': {
    en: 'The command "{command}" is contributed but has no handler.',
    de: 'Der Befehl „{command}“ ist beigetragen, hat aber keinen Handler.',
  },
  'plugin.undeclared-command': { en: 'The command "{command}" is not declared in the manifest.', de: 'Der Befehl „{command}“ ist im Manifest nicht deklariert.' },
  'plugin.duplicate-handler': { en: 'The command "{command}" already has a handler.', de: 'Der Befehl „{command}“ hat bereits einen Handler.' },
  'plugin.duplicate-message': { en: 'The plugin "{plugin}" registers the message "{code}", which exists already.', de: 'Das Plug-in „{plugin}“ registriert die Meldung „{code}“, die es bereits gibt.' },
  'plugin.undeclared-node': { en: 'The node "{node}" is not declared in the manifest.', de: 'Der Knoten „{node}“ ist im Manifest nicht deklariert.' },
  'rpc.no-such-method': { en: 'The console asked for an unknown function {method}.', de: 'Die Konsole hat eine unbekannte Funktion {method} aufgerufen.' },
  'rpc.no-such-stream': { en: 'The console asked for an unknown stream {stream}.', de: 'Die Konsole hat einen unbekannten Datenstrom {stream} angefordert.' },
  'rpc.duplicate-service': { en: 'The service {name} is registered twice.', de: 'Der Dienst {name} ist doppelt registriert.' },
  'rpc.secret-refused': {
    en: 'A reply was withheld because it contained a secret.',
    de: 'Eine Antwort wurde zurückgehalten, weil sie ein Geheimnis enthielt.',
  },
  'rpc.too-many-streams': {
    en: 'This console page holds too many live views ({max}); reload the page.',
    de: 'Diese Konsolenseite hält zu viele laufende Ansichten ({max}); laden Sie die Seite neu.',
  },
  'http.bad-target': { en: 'The request address is not a valid URL.', de: 'Die Anfrageadresse ist keine gültige URL.' },
  'http.bad-encoding': { en: 'The request address has a malformed percent-encoding.', de: 'Die Anfrageadresse enthält eine fehlerhafte Prozentkodierung.' },
  'http.internal-error': {
    en: 'The request failed unexpectedly (incident {incident}); the server log has the details.',
    de: 'Die Anfrage ist unerwartet fehlgeschlagen (Vorfall {incident}); Einzelheiten stehen im Serverprotokoll.',
  },
  'rpc.failed': { en: 'The connection to the console service failed: {detail}', de: 'Die Verbindung zum Konsolendienst ist fehlgeschlagen: {detail}' },
  'settings.conflict': {
    en: 'The settings were changed elsewhere in the meantime (version {actual}, you edited version {expected}). Reload them and apply your changes again.',
    de: 'Die Einstellungen wurden inzwischen an anderer Stelle geändert (Version {actual}, Sie haben Version {expected} bearbeitet). Laden Sie sie neu und übernehmen Sie Ihre Änderungen erneut.',
  },
  'settings.invalid': { en: 'The setting {field} is invalid: {reason}', de: 'Die Einstellung {field} ist ungültig: {reason}' },
  'settings.corrupt': {
    en: 'The settings file {path} is damaged; it was left as it is. Restore the previous version from {path}.prev, or remove the file to start with the defaults.',
    de: 'Die Einstellungsdatei {path} ist beschädigt; sie wurde nicht verändert. Stellen Sie die vorige Fassung aus {path}.prev wieder her oder entfernen Sie die Datei, um mit den Standardwerten zu beginnen.',
  },
  'settings.invalid-file': {
    en: 'The settings file {path} does not fit its schema at {field} ({reason}); it was not loaded. Correct the value, or restore the previous version from {path}.prev.',
    de: 'Die Einstellungsdatei {path} passt bei {field} nicht zu ihrem Schema ({reason}); sie wurde nicht geladen. Korrigieren Sie den Wert oder stellen Sie die vorige Fassung aus {path}.prev wieder her.',
  },
  'secrets.bad-key': {
    en: 'The key file {path} of the secret store is missing or damaged; nothing was overwritten. Restore it from a backup, or remove the secrets folder and enter the secrets again.',
    de: 'Die Schlüsseldatei {path} des Geheimnisspeichers fehlt oder ist beschädigt; es wurde nichts überschrieben. Stellen Sie sie aus einer Sicherung wieder her oder entfernen Sie den Ordner mit den Geheimnissen und geben Sie die Geheimnisse erneut ein.',
  },
  'secrets.corrupt': {
    en: 'The secret store {path} is damaged; it was left as it is. Restore the previous version from {path}.prev, or remove both files and enter the secrets again.',
    de: 'Der Geheimnisspeicher {path} ist beschädigt; er wurde nicht verändert. Stellen Sie die vorige Fassung aus {path}.prev wieder her oder entfernen Sie beide Dateien und geben Sie die Geheimnisse erneut ein.',
  },
  'secrets.other-endpoint': {
    en: 'The stored value was saved for {saved}; it is never sent to {endpoint}. Enter it again for this address.',
    de: 'Der gespeicherte Wert wurde für {saved} gespeichert; er wird nie an {endpoint} gesendet. Geben Sie ihn für diese Adresse erneut ein.',
  },
  'secrets.invalid': { en: 'The secret {name} must be text.', de: 'Das Geheimnis {name} muss Text sein.' },
  // The audit view (View → Audit log)
  'host.audit.count': { en: '{n:plural|# entry|# entries}', de: '{n:plural|# Eintrag|# Einträge}' },
  'audit.action.settings.update': { en: 'Setting changed', de: 'Einstellung geändert' },
  'audit.action.secret.set': { en: 'Secret changed', de: 'Geheimnis geändert' },
  'audit.action.secret.delete': { en: 'Secret removed', de: 'Geheimnis entfernt' },
};
