import type { Catalogue } from '../i18n.js';

/** Messages shared by every part of the product (codes prefixed "internal.", "validation.", "io."). */
export const coreMessages: Catalogue = {
  'internal.unexpected': { en: 'Unexpected error: {detail}', de: 'Unerwarteter Fehler: {detail}' },
  'validation.required': { en: '{field} is required.', de: '{field} ist erforderlich.' },
  'validation.invalid': { en: '{field} is invalid: {reason}', de: '{field} ist ungültig: {reason}' },
  'io.write-failed': { en: 'Could not write {path}: {reason}', de: '{path} konnte nicht geschrieben werden: {reason}' },
  'io.read-failed': { en: 'Could not read {path}: {reason}', de: '{path} konnte nicht gelesen werden: {reason}' },
  'io.disk-full': {
    en: 'There is no space left to write {path}. Free disk space, then try again; the previous version was kept.',
    de: 'Zum Schreiben von {path} ist kein Speicherplatz mehr frei. Geben Sie Speicherplatz frei und versuchen Sie es erneut; die vorige Fassung bleibt erhalten.',
  },
  'io.not-writable': {
    en: '{path} cannot be written (read-only file system or no permission). Fix the permissions of the folder or choose another data folder (--data-dir).',
    de: '{path} kann nicht geschrieben werden (schreibgeschütztes Dateisystem oder keine Berechtigung). Korrigieren Sie die Berechtigungen des Ordners oder wählen Sie einen anderen Datenordner (--data-dir).',
  },
  'io.locked': { en: '{path} is being changed by another program; try again.', de: '{path} wird gerade von einem anderen Programm geändert; versuchen Sie es erneut.' },
  'io.timeout': { en: '{operation} did not finish within {seconds} s.', de: '{operation} wurde nicht innerhalb von {seconds} s abgeschlossen.' },
};
