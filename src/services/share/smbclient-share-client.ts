import { injectable } from 'inversify';
import { randomBytes } from 'node:crypto';
import { validateShareFileName } from '../../common/unc.js';
import type { ShareCallOptions, ShareClient, ShareCredentials, ShareEntry, ShareLocation } from './share-client.js';
import { installAtomically } from './install-steps.js';
import { SHARING_VIOLATION_RETRY, type RetryPolicy } from './retry.js';
import { codeOf } from './share-errors.js';
import { parseLs } from './smbclient-output.js';
import { SmbclientSession } from './smbclient-session.js';

export interface SmbclientShareClientOptions {
  /** Path or name of the smbclient binary. */
  readonly binary?: string;
  /** Deadline of a call when the caller gives none. */
  readonly defaultTimeoutMs?: number;
  readonly retry?: RetryPolicy;
  /** Largest file `read()` accepts; license files are a few kilobytes. */
  readonly maxReadBytes?: number;
}

/**
 * ShareClient for Linux and macOS through Samba's `smbclient`: one connection per call, driven
 * command by command (see SmbclientSession), so an install costs one logon rather than four.
 */
@injectable()
export class SmbclientShareClient implements ShareClient {
  private readonly binary: string;
  private readonly defaultTimeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly maxReadBytes: number;

  constructor(options: SmbclientShareClientOptions = {}) {
    this.binary = options.binary ?? 'smbclient';
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? 30_000;
    this.retry = options.retry ?? SHARING_VIOLATION_RETRY;
    this.maxReadBytes = options.maxReadBytes ?? 1024 * 1024;
  }

  private async withSession<T>(
    operation: string,
    location: ShareLocation,
    credentials: ShareCredentials,
    options: ShareCallOptions,
    fn: (s: SmbclientSession) => Promise<T>,
  ): Promise<T> {
    const session = await SmbclientSession.open({
      binary: this.binary,
      location,
      credentials,
      operation,
      timeoutMs: options.timeoutMs ?? this.defaultTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    try {
      const segments = location.folder.split('/').filter(Boolean);
      if (options.createFolder && segments.length) {
        await session.cd(segments.slice(0, -1).join('/'));
        await session.mkdirIfMissing(segments.at(-1)!);
        await session.cd(segments.at(-1)!);
      } else {
        await session.cd(location.folder);
      }
      return await fn(session);
    } finally {
      await session.close();
    }
  }

  /** Reach host, logon and share (connecting), folder (cd), write (put and delete a probe file). */
  async test(location: ShareLocation, credentials: ShareCredentials, options: ShareCallOptions = {}): Promise<void> {
    await this.withSession('test', location, credentials, options, async (s) => {
      const probe = `.ors-write-test-${randomBytes(6).toString('hex')}`;
      await s.put(new TextEncoder().encode('ORS write test\n'), probe);
      await s.del(probe).catch((e: unknown) => {
        if (codeOf(e) !== 'share.no-such-file') throw e;
      });
    });
  }

  async list(location: ShareLocation, credentials: ShareCredentials, options: ShareCallOptions = {}): Promise<ShareEntry[]> {
    return this.withSession('list', location, credentials, options, async (s) =>
      parseLs(await s.ls())
        .filter((f) => !f.directory)
        .map(({ name, size }) => ({ name, size })),
    );
  }

  async read(location: ShareLocation, credentials: ShareCredentials, name: string, options: ShareCallOptions = {}): Promise<Uint8Array> {
    validateShareFileName(name);
    return this.withSession('read', location, credentials, options, (s) => s.get(name, this.maxReadBytes));
  }

  async install(location: ShareLocation, credentials: ShareCredentials, name: string, data: Uint8Array, options: ShareCallOptions = {}): Promise<string> {
    validateShareFileName(name);
    return this.withSession('install', location, credentials, options, (s) =>
      installAtomically(s, name, data, { retry: this.retry, ...(options.signal ? { signal: options.signal } : {}) }),
    );
  }

  async remove(location: ShareLocation, credentials: ShareCredentials, name: string, options: ShareCallOptions = {}): Promise<void> {
    validateShareFileName(name);
    await this.withSession('remove', location, credentials, options, (s) => s.del(name));
  }
}
