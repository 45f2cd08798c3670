/**
 * A writable license folder on a remote license server, reached over SMB.
 * Contract between the license-server adapter and the SMB implementation(s).
 */
export interface ShareLocation {
  readonly host: string;
  /** SMB port, default 445. */
  readonly port?: number;
  readonly share: string;
  /** Folder inside the share, with forward slashes, '' for the share's root. */
  readonly folder: string;
}

export interface ShareCredentials {
  readonly username: string;
  readonly password: string;
  readonly domain?: string;
}

export interface ShareCallOptions {
  readonly signal?: AbortSignal;
  /** Deadline for the whole call. */
  readonly timeoutMs?: number;
  /** Create the location's folder (its last segment) when it does not exist yet, e.g. `history`. */
  readonly createFolder?: boolean;
}

export interface ShareEntry {
  readonly name: string;
  readonly size: number;
}

export interface ShareClient {
  /** Checks reachability, logon, share, folder and write permission; throws a typed CodedError naming the failed check. */
  test(location: ShareLocation, credentials: ShareCredentials, options?: ShareCallOptions): Promise<void>;
  list(location: ShareLocation, credentials: ShareCredentials, options?: ShareCallOptions): Promise<ShareEntry[]>;
  read(location: ShareLocation, credentials: ShareCredentials, name: string, options?: ShareCallOptions): Promise<Uint8Array>;
  /**
   * Installs `data` as `name` atomically: put under a temporary name, rename over the target, read back
   * and compare the SHA-256. The previous file is kept as `<name>.prev`. Returns the hex SHA-256.
   */
  install(location: ShareLocation, credentials: ShareCredentials, name: string, data: Uint8Array, options?: ShareCallOptions): Promise<string>;
  /** Deletes one file (a license replaced by another installation's, kept in history/ first). */
  remove(location: ShareLocation, credentials: ShareCredentials, name: string, options?: ShareCallOptions): Promise<void>;
}

export const ShareClient = Symbol('ShareClient');
