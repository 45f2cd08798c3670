/** German texts of the Remote Service views (runtime @lit/localize templates, ids prefixed "remote."). */
export const remoteServiceGerman = {
  'remote.title': 'Remote Service',
  'remote.disabled': 'Der Remote Service ist deaktiviert: Es besteht keine Verbindung zum Back-Office.',
  'remote.hint': 'Hier werden die automatische Lizenzaktualisierung und die Remote-Unterstützung konfiguriert.',
};
