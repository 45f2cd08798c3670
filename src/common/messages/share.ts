import type { Catalogue } from '../i18n.js';

/** Messages of the SMB share area (codes prefixed "share."). */
export const shareMessages: Catalogue = {
  'share.invalid-host': {
    en: '{value} is not a valid host name or IP address.',
    de: '{value} ist kein gültiger Hostname und keine gültige IP-Adresse.',
  },
  'share.invalid-port': { en: '{value} is not a valid port (1–65535).', de: '{value} ist kein gültiger Port (1–65535).' },
  'share.invalid-file-name': {
    en: '{value} is not a valid file name on a share.',
    de: '{value} ist kein gültiger Dateiname auf einer Freigabe.',
  },
  'share.invalid-unc': {
    en: 'Enter the shared folder as \\\\host\\share\\folder.',
    de: 'Geben Sie den freigegebenen Ordner als \\\\host\\freigabe\\ordner ein.',
  },
  'share.invalid-unc-host': {
    en: 'The host {value} in the UNC path is not a valid host name or IP address.',
    de: 'Der Host {value} im UNC-Pfad ist kein gültiger Hostname und keine gültige IP-Adresse.',
  },
  'share.invalid-unc-share': {
    en: 'The UNC path needs a valid share name after the host.',
    de: 'Der UNC-Pfad braucht nach dem Host einen gültigen Freigabenamen.',
  },
  'share.invalid-unc-folder': {
    en: 'The folder part {value} of the UNC path is not allowed.',
    de: 'Der Ordnerteil {value} des UNC-Pfads ist nicht erlaubt.',
  },
  'share.invalid-credentials': {
    en: 'The account name or password contains a line break, or the password starts with a blank; smbclient cannot pass such credentials.',
    de: 'Kontoname oder Passwort enthält einen Zeilenumbruch, oder das Passwort beginnt mit einem Leerzeichen; smbclient kann solche Anmeldedaten nicht übergeben.',
  },
  'share.port-unsupported': {
    en: 'Windows reaches shares only on the standard port 445; remove port {port}.',
    de: 'Windows erreicht Freigaben nur über den Standardport 445; entfernen Sie Port {port}.',
  },
  'share.host-unreachable': {
    en: 'The license server {host} cannot be reached on port {port} ({status:cause}).',
    de: 'Der Lizenzserver {host} ist über Port {port} nicht erreichbar ({status:cause}).',
  },
  'share.logon-failure': {
    en: 'The license server {host} refused the account {username}: wrong name or password, or the account is locked.',
    de: 'Der Lizenzserver {host} hat das Konto {username} abgewiesen: falscher Name oder falsches Passwort, oder das Konto ist gesperrt.',
  },
  'share.no-such-share': {
    en: 'The license server {host} has no share named {share}.',
    de: 'Der Lizenzserver {host} hat keine Freigabe namens {share}.',
  },
  'share.no-such-folder': {
    en: 'The folder {folder} does not exist on the share {share}.',
    de: 'Der Ordner {folder} existiert auf der Freigabe {share} nicht.',
  },
  'share.no-such-file': { en: 'The file {name} does not exist on the share.', de: 'Die Datei {name} existiert auf der Freigabe nicht.' },
  'share.access-denied': {
    en: 'Access to {path} on the share {share} was denied; the account needs write permission on the license folder.',
    de: 'Der Zugriff auf {path} in der Freigabe {share} wurde verweigert; das Konto braucht Schreibrechte im Lizenzordner.',
  },
  'share.sharing-violation': {
    en: '{path} is held open by another program; it stayed locked after {attempts} attempts.',
    de: '{path} ist von einem anderen Programm geöffnet; die Datei blieb nach {attempts} Versuchen gesperrt.',
  },
  'share.disk-full': { en: 'The share {share} is full.', de: 'Die Freigabe {share} ist voll.' },
  'share.connection-lost': {
    en: 'The connection to {host} broke off during {operation} ({status:cause}); the installed license was left unchanged.',
    de: 'Die Verbindung zu {host} brach während {operation} ab ({status:cause}); die installierte Lizenz blieb unverändert.',
  },
  'share.timeout': {
    en: 'The license server {host} did not complete {operation} within {seconds} s.',
    de: 'Der Lizenzserver {host} hat {operation} nicht innerhalb von {seconds} s abgeschlossen.',
  },
  'share.cancelled': { en: '{operation} on {host} was cancelled.', de: '{operation} auf {host} wurde abgebrochen.' },
  'share.smbclient-missing': {
    en: 'The program smbclient is not installed. Install it with "apt-get install smbclient" (Debian/Ubuntu), "dnf install samba-client" (Fedora/RHEL) or "brew install samba" (macOS).',
    de: 'Das Programm smbclient ist nicht installiert. Installieren Sie es mit "apt-get install smbclient" (Debian/Ubuntu), "dnf install samba-client" (Fedora/RHEL) oder "brew install samba" (macOS).',
  },
  'share.too-large': {
    en: '{name} on the share is larger than {limit} bytes and was not read.',
    de: '{name} auf der Freigabe ist größer als {limit} Bytes und wurde nicht gelesen.',
  },
  'share.readback-mismatch': {
    en: 'After installing {name}, the file read back from the share differs from what was written (SHA-256 {actual} instead of {expected}).',
    de: 'Nach der Installation von {name} unterscheidet sich die von der Freigabe zurückgelesene Datei vom Geschriebenen (SHA-256 {actual} statt {expected}).',
  },
  'share.failed': {
    en: '{operation} on the share failed ({status:cause}).',
    de: '{operation} auf der Freigabe ist fehlgeschlagen ({status:cause}).',
  },
};
