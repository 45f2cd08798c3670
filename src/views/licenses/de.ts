/** German texts of the Licenses views (runtime @lit/localize templates, ids prefixed "licenses."). */
export const licensesGerman = {
  'licenses.title': 'Lizenzen',
  'licenses.none': 'Es ist noch kein Lizenzserver ausgewählt.',
  'licenses.hint': 'Wählen Sie den Floating License Server aus, um Seriennummer, Lizenzablauf, Wartungszeitraum, Funktionen und Benutzer zu sehen.',
};
