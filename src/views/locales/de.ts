/** German texts of the plugin's views (runtime @lit/localize templates). */
export const templates = {
  'licenses.title': 'Lizenzen',
  'licenses.none': 'Es ist noch kein Lizenzserver ausgewählt.',
  'licenses.hint': 'Wählen Sie den Floating License Server aus, um Seriennummer, Lizenzablauf, Wartungszeitraum, Funktionen und Benutzer zu sehen.',
  'remote.title': 'Remote Service',
  'remote.disabled': 'Der Remote Service ist deaktiviert: Es besteht keine Verbindung zum Back-Office.',
  'remote.hint': 'Hier werden die automatische Lizenzaktualisierung und die Remote-Unterstützung konfiguriert.',
};
