import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CodedError } from '../../common/errors.js';
import type { Logger } from '../../services/log/logger.js';
import type { BackofficeRepository } from './repository.js';

/**
 * Opens the store a database URL names: `sqlite:PATH` (the embedded default; the file and its
 * schema are created on first use) or `postgres://…` / `postgresql://…`. Each adapter is loaded only
 * when used, so an SQLite back office never loads the PostgreSQL client and vice versa.
 */
export async function openStore(url: string, logger?: Logger): Promise<BackofficeRepository> {
  if (url.startsWith('sqlite:')) {
    const file = path.resolve(url.slice('sqlite:'.length));
    // Created 0600 before SQLite opens it: SQLite gives its -wal/-shm files the database's mode.
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      await (await fs.open(file, 'a', 0o600)).close();
    } catch (e) {
      throw new CodedError('backoffice.database.open-failed', { path: file, reason: (e as NodeJS.ErrnoException).code ?? 'error' }, { cause: e });
    }
    const { SqliteBackofficeRepository } = await import('./sqlite-repository.js');
    return new SqliteBackofficeRepository(file);
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { PostgresBackofficeRepository } = await import('./postgres-repository.js');
    return PostgresBackofficeRepository.open({ connectionString: url, ...(logger ? { logger } : {}) });
  }
  throw new CodedError('backoffice.database.url-invalid', { url: redactUrl(url) });
}

/** A database URL fit for messages and logs: the password replaced. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@').slice(0, 200);
  }
}
