import type { Catalogue } from '../i18n.js';

/** Messages of remote assistance (SPEC F4; codes prefixed "remote-assistance."). */
export const remoteAssistanceMessages: Catalogue = {
  // Prerequisite titles
  'remote-assistance.prereq-title.license-update': { en: 'Automatic license update configured and connected', de: 'Automatische Lizenzaktualisierung konfiguriert und verbunden' },
  'remote-assistance.prereq-title.feature': { en: 'Remote Assistance feature switched on', de: 'Funktion Remote Assistance eingeschaltet' },
  'remote-assistance.prereq-title.teamviewer': { en: 'TeamViewer available on this machine', de: 'TeamViewer auf diesem Rechner verfügbar' },
  'remote-assistance.prereq-title.proxy': { en: 'Proxy configured manually or no proxy', de: 'Proxy manuell konfiguriert oder kein Proxy' },
  // Prerequisite reasons
  'remote-assistance.prereq.update-disabled': {
    en: 'The Remote Service is not enabled: enable it and configure the automatic license update.',
    de: 'Der Remote Service ist nicht aktiviert: Aktivieren Sie ihn und konfigurieren Sie die automatische Lizenzaktualisierung.',
  },
  'remote-assistance.prereq.connection-unknown': {
    en: 'The state of the connection to the back office is not known yet.',
    de: 'Der Zustand der Verbindung zum Back-Office ist noch nicht bekannt.',
  },
  'remote-assistance.prereq.service-not-running': {
    en: 'The ORS service is not running: start it in the Remote Service dialog.',
    de: 'Der ORS-Dienst läuft nicht: Starten Sie ihn im Dialog Remote Service.',
  },
  'remote-assistance.prereq.service-starting': { en: 'The ORS service is starting…', de: 'Der ORS-Dienst wird gestartet…' },
  'remote-assistance.prereq.not-configured': {
    en: 'The automatic license update is not configured completely (missing: {missing:list}).',
    de: 'Die automatische Lizenzaktualisierung ist nicht vollständig konfiguriert (es fehlt: {missing:list}).',
  },
  'remote-assistance.prereq.connecting': { en: 'Connecting to the back office…', de: 'Verbindung zum Back-Office wird hergestellt…' },
  'remote-assistance.prereq.connection-error': {
    en: 'The connection to the back office failed: {error} See Feedback in the Remote Service dialog.',
    de: 'Die Verbindung zum Back-Office ist fehlgeschlagen: {error} Siehe Feedback im Dialog Remote Service.',
  },
  'remote-assistance.prereq.connected': { en: 'Connected to the back office since {since:datetime}.', de: 'Seit {since:datetime} mit dem Back-Office verbunden.' },
  'remote-assistance.prereq.feature-on': { en: 'The Remote Assistance feature is switched on.', de: 'Die Funktion Remote Assistance ist eingeschaltet.' },
  'remote-assistance.prereq.feature-off': {
    en: 'Switch on [Remote Assistance] in the Remote Service dialog.',
    de: 'Schalten Sie [Remote Assistance] im Dialog Remote Service ein.',
  },
  'remote-assistance.prereq.teamviewer-checking': { en: 'Looking for TeamViewer…', de: 'TeamViewer wird gesucht…' },
  'remote-assistance.prereq.teamviewer-missing': {
    en: 'TeamViewer was not found on this machine. Install TeamViewer, or download TeamViewer QuickSupport and enter its path.',
    de: 'TeamViewer wurde auf diesem Rechner nicht gefunden. Installieren Sie TeamViewer, oder laden Sie TeamViewer QuickSupport herunter und geben Sie seinen Pfad an.',
  },
  'remote-assistance.prereq.teamviewer-configured-missing': {
    en: 'There is no TeamViewer program at the configured path {path}.',
    de: 'Unter dem konfigurierten Pfad {path} gibt es kein TeamViewer-Programm.',
  },
  'remote-assistance.prereq.teamviewer-quicksupport': { en: 'TeamViewer QuickSupport {version}: {path}', de: 'TeamViewer QuickSupport {version}: {path}' },
  'remote-assistance.prereq.teamviewer-full': { en: 'TeamViewer {version}: {path}', de: 'TeamViewer {version}: {path}' },
  'remote-assistance.prereq.teamviewer-quicksupport-unversioned': { en: 'TeamViewer QuickSupport: {path}', de: 'TeamViewer QuickSupport: {path}' },
  'remote-assistance.prereq.teamviewer-full-unversioned': { en: 'TeamViewer: {path}', de: 'TeamViewer: {path}' },
  'remote-assistance.prereq.proxy-auto': {
    en: 'The proxy is set to auto-detect, which remote assistance cannot use: configure the proxy manually (or choose no proxy).',
    de: 'Der Proxy steht auf automatischer Erkennung, die die Remote-Unterstützung nicht nutzen kann: Konfigurieren Sie den Proxy manuell (oder wählen Sie keinen Proxy).',
  },
  'remote-assistance.prereq.proxy-incomplete': {
    en: 'The manual proxy needs a valid host name or IP address and port.',
    de: 'Der manuelle Proxy braucht einen gültigen Hostnamen oder eine gültige IP-Adresse und einen Port.',
  },
  'remote-assistance.prereq.proxy-none': { en: 'No proxy.', de: 'Kein Proxy.' },
  'remote-assistance.prereq.proxy-manual': { en: 'Manual proxy {host}:{port}.', de: 'Manueller Proxy {host}:{port}.' },
  // Refusals and failures
  'remote-assistance.prerequisites-unmet': {
    en: 'Remote assistance cannot be allowed or started: not every prerequisite is met ({unmet}).',
    de: 'Die Remote-Unterstützung kann nicht zugelassen oder gestartet werden: Nicht alle Voraussetzungen sind erfüllt ({unmet}).',
  },
  'remote-assistance.not-allowed': {
    en: 'Remote assistance is not allowed: tick [Allow remote assistance] and save first.',
    de: 'Die Remote-Unterstützung ist nicht zugelassen: Aktivieren Sie zuerst [Fernunterstützung zulassen] und speichern Sie.',
  },
  'remote-assistance.already-running': { en: 'TeamViewer is already running (process {pid}).', de: 'TeamViewer läuft bereits (Prozess {pid}).' },
  'remote-assistance.not-running': { en: 'No TeamViewer session started from this console is running.', de: 'Es läuft keine von dieser Konsole gestartete TeamViewer-Sitzung.' },
  'remote-assistance.not-installed': { en: 'TeamViewer is not available on this machine.', de: 'TeamViewer ist auf diesem Rechner nicht verfügbar.' },
  'remote-assistance.spawn-failed': { en: 'TeamViewer could not be started from {path}: {reason:cause}', de: 'TeamViewer konnte nicht aus {path} gestartet werden: {reason:cause}' },
  'remote-assistance.stop-timeout': {
    en: 'TeamViewer (process {pid}) did not end within {seconds} s and was killed.',
    de: 'TeamViewer (Prozess {pid}) wurde nicht innerhalb von {seconds} s beendet und wurde abgebrochen.',
  },
  'remote-assistance.path-invalid': {
    en: 'Enter the full path of the TeamViewer QuickSupport program or of its folder ({path} is not one).',
    de: 'Geben Sie den vollständigen Pfad des Programms TeamViewer QuickSupport oder seines Ordners an ({path} ist keiner).',
  },
  // States
  'remote-assistance.state.not-installed': { en: 'TeamViewer not available', de: 'TeamViewer nicht verfügbar' },
  'remote-assistance.state.ready': { en: 'Not running', de: 'Läuft nicht' },
  'remote-assistance.state.starting': { en: 'Starting TeamViewer…', de: 'TeamViewer wird gestartet…' },
  'remote-assistance.state.running': { en: 'Running (process {pid})', de: 'Läuft (Prozess {pid})' },
  'remote-assistance.state.ended': { en: 'Ended (exit code {exitCode})', de: 'Beendet (Exit-Code {exitCode})' },
  'remote-assistance.state.stopped': { en: 'Stopped', de: 'Gestoppt' },
  'remote-assistance.state.failed': { en: 'Failed to start', de: 'Start fehlgeschlagen' },
  'remote-assistance.allowed': { en: 'Allowed', de: 'Zugelassen' },
  'remote-assistance.not-allowed-short': { en: 'Not allowed', de: 'Nicht zugelassen' },
  'remote-assistance.id-unknown': { en: 'TeamViewer ID not known yet: read it in the TeamViewer window.', de: 'TeamViewer-ID noch nicht bekannt: Lesen Sie sie im TeamViewer-Fenster ab.' },
  // What to tell the help desk
  'remote-assistance.helpdesk': {
    en: 'Tell the help desk your TeamViewer ID {id} and the password shown in the TeamViewer window. The help desk can connect only while TeamViewer runs; Stop ends the session.',
    de: 'Nennen Sie dem Kundendienst Ihre TeamViewer-ID {id} und das im TeamViewer-Fenster angezeigte Passwort. Der Kundendienst kann sich nur verbinden, solange TeamViewer läuft; Stoppen beendet die Sitzung.',
  },
  'remote-assistance.helpdesk-no-id': {
    en: 'Tell the help desk the ID and the password shown in the TeamViewer window. The help desk can connect only while TeamViewer runs; Stop ends the session.',
    de: 'Nennen Sie dem Kundendienst die ID und das Passwort aus dem TeamViewer-Fenster. Der Kundendienst kann sich nur verbinden, solange TeamViewer läuft; Stoppen beendet die Sitzung.',
  },
  // TeamViewer's own proxy dialog
  'remote-assistance.proxy.dialog': {
    en: 'TeamViewer keeps its own proxy settings. In TeamViewer open Extras → Options → General → Network settings: Configure…, choose "Use manual proxy" and enter:',
    de: 'TeamViewer hat eigene Proxy-Einstellungen. Öffnen Sie in TeamViewer Extras → Optionen → Allgemein → Netzwerkeinstellungen: Konfigurieren…, wählen Sie „Manuellen Proxy verwenden“ und geben Sie ein:',
  },
  'remote-assistance.proxy.host': { en: 'Proxy IP', de: 'Proxy-IP' },
  'remote-assistance.proxy.port': { en: 'Port', de: 'Port' },
  'remote-assistance.proxy.username': { en: 'Username', de: 'Benutzername' },
  'remote-assistance.proxy.password': {
    en: 'Password: the proxy password configured in the Remote Service dialog (case-sensitive).',
    de: 'Passwort: das im Dialog Remote Service konfigurierte Proxy-Passwort (Groß-/Kleinschreibung beachten).',
  },
  'remote-assistance.proxy.command-line': { en: 'The proxy is passed to TeamViewer when it starts.', de: 'Der Proxy wird TeamViewer beim Start übergeben.' },
  // Requests from the help desk (issue 14): the notice on the Remote Service node and its outcomes
  'remote-assistance.request.notice': {
    en: 'The help desk ({technician}, {organisation}) asks for remote assistance: “{message}”',
    de: 'Der Kundendienst ({technician}, {organisation}) bittet um Remote-Unterstützung: „{message}“',
  },
  'remote-assistance.request.notice-detail': {
    en: 'TeamViewer starts only when you choose [Start remote assistance]. The request expires at {expiresAt:datetime}.',
    de: 'TeamViewer startet erst, wenn Sie [Remote-Unterstützung starten] wählen. Die Anfrage verfällt am {expiresAt:datetime}.',
  },
  'remote-assistance.request.action-start': { en: 'Start remote assistance', de: 'Remote-Unterstützung starten' },
  'remote-assistance.request.action-decline': { en: 'Decline', de: 'Ablehnen' },
  'remote-assistance.request.action-stop': { en: 'Stop remote assistance', de: 'Remote-Unterstützung beenden' },
  'remote-assistance.request.notice-running': {
    en: 'Remote assistance for {technician} is running; the help desk sees your TeamViewer ID {id}.',
    de: 'Die Remote-Unterstützung für {technician} läuft; der Kundendienst sieht Ihre TeamViewer-ID {id}.',
  },
  'remote-assistance.request.notice-running-no-id': {
    en: 'Remote assistance for {technician} is running; read your TeamViewer ID in the TeamViewer window.',
    de: 'Die Remote-Unterstützung für {technician} läuft; lesen Sie Ihre TeamViewer-ID im TeamViewer-Fenster ab.',
  },
  'remote-assistance.request.notice-ended': { en: 'The remote-assistance session for {technician} has ended.', de: 'Die Sitzung der Remote-Unterstützung für {technician} ist beendet.' },
  'remote-assistance.request.notice-declined': { en: 'You declined the request of {technician} for remote assistance.', de: 'Sie haben die Anfrage von {technician} nach Remote-Unterstützung abgelehnt.' },
  'remote-assistance.request.notice-expired': {
    en: 'The request of {technician} for remote assistance expired without an answer.',
    de: 'Die Anfrage von {technician} nach Remote-Unterstützung ist ohne Antwort verfallen.',
  },
  'remote-assistance.request.notice-cancelled': { en: '{technician} withdrew the request for remote assistance.', de: '{technician} hat die Anfrage nach Remote-Unterstützung zurückgezogen.' },
  'remote-assistance.request.notice-refused': {
    en: 'The help desk ({technician}) asked for remote assistance; it was refused because {reason}',
    de: 'Der Kundendienst ({technician}) hat um Remote-Unterstützung gebeten; sie wurde abgelehnt, weil {reason}',
  },
  'remote-assistance.request.notice-failed': {
    en: 'Remote assistance for {technician} could not be started: {reason}',
    de: 'Die Remote-Unterstützung für {technician} konnte nicht gestartet werden: {reason}',
  },
  'remote-assistance.refusal.not-allowed': { en: 'remote assistance is not allowed here ([Allow remote assistance]).', de: 'die Remote-Unterstützung hier nicht zugelassen ist ([Fernunterstützung zulassen]).' },
  'remote-assistance.refusal.license-update': { en: 'the automatic license update is not connected.', de: 'die automatische Lizenzaktualisierung nicht verbunden ist.' },
  'remote-assistance.refusal.feature': { en: 'the Remote Assistance feature is switched off.', de: 'die Funktion Remote Assistance ausgeschaltet ist.' },
  'remote-assistance.refusal.teamviewer': { en: 'TeamViewer is not available on this machine.', de: 'TeamViewer auf diesem Rechner nicht verfügbar ist.' },
  'remote-assistance.refusal.proxy': { en: 'the proxy is not configured manually (or as no proxy).', de: 'der Proxy nicht manuell (oder als kein Proxy) konfiguriert ist.' },
  'remote-assistance.request.unknown': { en: 'There is no request {id} from the help desk (any more).', de: 'Es gibt keine Anfrage {id} des Kundendienstes (mehr).' },
  'remote-assistance.request.closed': { en: 'The help desk’s request is no longer waiting for an answer ({state}).', de: 'Die Anfrage des Kundendienstes wartet nicht mehr auf eine Antwort ({state}).' },
  // Result pane
  'remote-assistance.row.name': { en: 'Remote assistance', de: 'Remote-Unterstützung' },
};
