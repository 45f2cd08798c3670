import type { Catalogue } from '../i18n.js';

/** SMB status codes in words; the code is shown after them in brackets ({status:cause}). */
export const shareCauseMessages: Catalogue = {
  'cause.NT_STATUS_LOGON_FAILURE': { en: 'user name or password wrong', de: 'Benutzername oder Passwort falsch' },
  'cause.NT_STATUS_WRONG_PASSWORD': { en: 'wrong password', de: 'falsches Passwort' },
  'cause.NT_STATUS_NO_SUCH_USER': { en: 'unknown user', de: 'unbekannter Benutzer' },
  'cause.NT_STATUS_ACCESS_DENIED': { en: 'access denied', de: 'Zugriff verweigert' },
  'cause.NT_STATUS_BAD_NETWORK_NAME': { en: 'no such share', de: 'Freigabe nicht vorhanden' },
  'cause.NT_STATUS_OBJECT_NAME_NOT_FOUND': { en: 'file or folder not found', de: 'Datei oder Ordner nicht gefunden' },
  'cause.NT_STATUS_OBJECT_PATH_NOT_FOUND': { en: 'folder not found', de: 'Ordner nicht gefunden' },
  'cause.NT_STATUS_CONNECTION_REFUSED': { en: 'connection refused', de: 'Verbindung abgelehnt' },
  'cause.NT_STATUS_HOST_UNREACHABLE': { en: 'host not reachable', de: 'Host nicht erreichbar' },
  'cause.NT_STATUS_NETWORK_UNREACHABLE': { en: 'network not reachable', de: 'Netzwerk nicht erreichbar' },
  'cause.NT_STATUS_IO_TIMEOUT': { en: 'no answer in time', de: 'keine Antwort in der vorgesehenen Zeit' },
  'cause.NT_STATUS_SHARING_VIOLATION': { en: 'the file is in use', de: 'die Datei wird gerade verwendet' },
  'cause.NT_STATUS_ACCOUNT_LOCKED_OUT': { en: 'the account is locked', de: 'das Konto ist gesperrt' },
  'cause.NT_STATUS_PASSWORD_EXPIRED': { en: 'the password has expired', de: 'das Passwort ist abgelaufen' },
  'cause.NT_STATUS_MEDIA_WRITE_PROTECTED': { en: 'the share is read-only', de: 'die Freigabe ist schreibgeschützt' },
  'cause.NT_STATUS_DISK_FULL': { en: 'the disk is full', de: 'der Datenträger ist voll' },
  'cause.NT_STATUS_CONNECTION_RESET': { en: 'connection reset by the other side', de: 'Verbindung von der Gegenseite zurückgesetzt' },
  'cause.NT_STATUS_CONNECTION_DISCONNECTED': { en: 'connection broken off', de: 'Verbindung abgebrochen' },
};
