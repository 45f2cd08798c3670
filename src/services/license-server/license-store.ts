import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { removeStaleTempFiles, writeFileAtomic } from '../fs/atomic-file.js';
import { isIgnoredName } from '../license/folder.js';
import { readCapped } from '../license/trust.js';
import type { ShareClient, ShareCredentials, ShareLocation } from '../share/share-client.js';

export const HISTORY_FOLDER = 'history';

/** Removes what a killed writer left in a local license folder and its history subfolder. */
export async function removeFolderLeftovers(folder: string): Promise<string[]> {
  return [...(await removeStaleTempFiles(folder)), ...(await removeStaleTempFiles(path.join(folder, HISTORY_FOLDER)))];
}

/** Where a license server's files live: a local folder, or a shared folder reached over SMB. */
export interface LicenseStore {
  /** Names of candidate license files (temp files and kept versions left out). */
  list(): Promise<string[]>;
  read(name: string): Promise<Uint8Array>;
  /** Atomic: a reader sees the old or the new file, never a part. */
  write(name: string, data: Uint8Array): Promise<void>;
  /** Keeps a replaced license in the history subfolder; returns its path for display. */
  keep(name: string, data: Uint8Array): Promise<string>;
  /** Deletes a license file from the folder (after it was kept in history). */
  remove(name: string): Promise<void>;
}

export class FolderLicenseStore implements LicenseStore {
  constructor(readonly folder: string) {}

  async list(): Promise<string[]> {
    const names = await readdir(this.folder).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return [] as string[];
      throw e;
    });
    const files: string[] = [];
    for (const n of names.filter((x) => !isIgnoredName(x)).sort()) {
      if ((await stat(path.join(this.folder, n)).catch(() => undefined))?.isFile()) files.push(n);
    }
    return files;
  }

  read(name: string): Promise<Uint8Array> {
    return readCapped(path.join(this.folder, name));
  }

  async write(name: string, data: Uint8Array): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    await writeFileAtomic(path.join(this.folder, name), data);
  }

  async keep(name: string, data: Uint8Array): Promise<string> {
    const dir = path.join(this.folder, HISTORY_FOLDER);
    await mkdir(dir, { recursive: true });
    const target = path.join(dir, name);
    await writeFileAtomic(target, data);
    return target;
  }

  async remove(name: string): Promise<void> {
    await rm(path.join(this.folder, name), { force: true });
  }
}

/** The shared license folder of a remote FLS, through a ShareClient (smbclient or UNC paths). */
export class ShareLicenseStore implements LicenseStore {
  constructor(
    private readonly client: ShareClient,
    private readonly location: ShareLocation,
    private readonly credentials: ShareCredentials,
    private readonly timeoutMs = 15_000,
  ) {}

  async list(): Promise<string[]> {
    const entries = await this.client.list(this.location, this.credentials, { timeoutMs: this.timeoutMs });
    return entries.map((e) => e.name).filter((n) => !isIgnoredName(n) && n !== HISTORY_FOLDER).sort();
  }

  read(name: string): Promise<Uint8Array> {
    return this.client.read(this.location, this.credentials, name, { timeoutMs: this.timeoutMs });
  }

  async write(name: string, data: Uint8Array): Promise<void> {
    await this.client.install(this.location, this.credentials, name, data, { timeoutMs: this.timeoutMs });
  }

  async keep(name: string, data: Uint8Array): Promise<string> {
    const folder = this.location.folder ? `${this.location.folder}/${HISTORY_FOLDER}` : HISTORY_FOLDER;
    await this.client.install({ ...this.location, folder }, this.credentials, name, data, { timeoutMs: this.timeoutMs, createFolder: true });
    return `\\\\${this.location.host}\\${this.location.share}\\${folder.replace(/\//g, '\\')}\\${name}`;
  }

  async remove(name: string): Promise<void> {
    await this.client.remove(this.location, this.credentials, name, { timeoutMs: this.timeoutMs });
  }
}
