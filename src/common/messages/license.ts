import type { Catalogue } from '../i18n.js';

/** Messages of the license area (codes prefixed "license.", "license-server.", "fls."). */
export const licenseMessages: Catalogue = {
  // Reading and verifying license files
  'license.too-large': { en: 'The file is larger than {max} bytes and is not a license file.', de: 'Die Datei ist größer als {max} Bytes und keine Lizenzdatei.' },
  'license.malformed': { en: 'The file is not a valid license file ({reason}).', de: 'Die Datei ist keine gültige Lizenzdatei ({reason}).' },
  'license.unknown-kid': { en: 'The license was signed with an unknown key ({kid}).', de: 'Die Lizenz wurde mit einem unbekannten Schlüssel signiert ({kid}).' },
  'license.signature-invalid': { en: 'The license signature is invalid: the file was altered or not issued by the vendor.', de: 'Die Signatur der Lizenz ist ungültig: Die Datei wurde verändert oder nicht vom Hersteller ausgestellt.' },
  'license.payload-invalid': { en: 'The license content is invalid at {field}: {reason}.', de: 'Der Lizenzinhalt ist bei {field} ungültig: {reason}.' },
  'license.wrong-serial': { en: 'The license is for serial number {actual}, not {expected}.', de: 'Die Lizenz gilt für die Seriennummer {actual}, nicht für {expected}.' },
  'license.not-yet-valid': { en: 'The license is not valid before {notBefore}.', de: 'Die Lizenz ist erst ab {notBefore} gültig.' },
  'license.issued-in-future': { en: 'The license was issued in the future ({issuedAt}); check the system clock.', de: 'Die Lizenz wurde in der Zukunft ausgestellt ({issuedAt}); bitte die Systemuhr prüfen.' },
  'license.expired': { en: 'The license expired on {expiry}.', de: 'Die Lizenz ist am {expiry} abgelaufen.' },
  'license.key-invalid': { en: 'The key is not usable: {reason}.', de: 'Der Schlüssel ist nicht verwendbar: {reason}.' },
  'license.no-trusted-keys': { en: 'No trusted vendor public key is configured (use --trust FILE|DIR or ORS_LICENSE_TRUST).', de: 'Kein vertrauenswürdiger öffentlicher Herstellerschlüssel konfiguriert (--trust DATEI|ORDNER oder ORS_LICENSE_TRUST).' },
  'license.no-license': { en: 'No license is installed (use --license FILE).', de: 'Keine Lizenz installiert (--license DATEI angeben).' },
  'license.not-newer': { en: 'The license (seq {seq}) is not newer than the installed one (seq {installedSeq}).', de: 'Die Lizenz (seq {seq}) ist nicht neuer als die installierte (seq {installedSeq}).' },
  'license.worse': { en: 'The new license takes something away ({changes}); it is installed only after confirmation.', de: 'Die neue Lizenz nimmt etwas weg ({changes}); sie wird nur nach Bestätigung installiert.' },
};
