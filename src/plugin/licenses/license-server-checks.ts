import { randomBytes } from 'node:crypto';
import { mkdir, stat, unlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { inject, injectable } from 'inversify';
import { toErrorInfo } from '../../common/errors.js';
import type { CheckId, CheckResult } from '../../common/license-server/licenses-api.js';
import { remoteFlsUrl, type LicenseServerSelection, type OrsAccount } from '../../common/license-server/selection.js';
import { fetchFlsStatus } from '../../services/license-server/fls-client.js';
import { ShareClient } from '../../services/share/share-client.js';
import { SHARE_CHECKS, type ShareCheck } from '../../services/share/share-errors.js';
import { credentialsOf, LicenseServerBinder, locationOf, SHARE_TIMEOUT_MS } from './license-server-binding.js';

const FLS_TIMEOUT_MS = 5_000;

/** [Test] of the Licenses dialog: every check of a selection, in order, the first failure with its reason. */
@injectable()
export class LicenseServerChecks {
  constructor(
    @inject(ShareClient) private readonly shareClient: ShareClient,
    @inject(LicenseServerBinder) private readonly binder: LicenseServerBinder,
  ) {}

  run(selection: LicenseServerSelection, account: OrsAccount, password: string | undefined): Promise<CheckResult[]> {
    return selection.kind === 'local' ? this.local(selection) : this.remote(selection, account, password);
  }

  private async local(s: Extract<LicenseServerSelection, { kind: 'local' }>): Promise<CheckResult[]> {
    const checks: CheckResult[] = [];
    const notWritable = (e: unknown): CheckResult['error'] => ({ code: 'licenses.folder-not-writable', params: { folder: s.folder, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message } });
    let folderOk = false;
    try {
      await mkdir(s.folder, { recursive: true });
      if (!(await stat(s.folder)).isDirectory()) throw new Error('not a folder');
      folderOk = true;
      checks.push({ id: 'folder', result: 'ok' });
    } catch (e) {
      checks.push({ id: 'folder', result: 'failed', error: notWritable(e) });
    }
    if (folderOk) {
      const probe = path.join(s.folder, `.ors-write-test-${randomBytes(6).toString('hex')}`);
      try {
        await writeFile(probe, 'ORS write test\n');
        await unlink(probe);
        checks.push({ id: 'write', result: 'ok' });
      } catch (e) {
        checks.push({ id: 'write', result: 'failed', error: notWritable(e) });
      }
    } else checks.push({ id: 'write', result: 'skipped' });
    if (s.flsUrl) checks.push(await this.fls(s.flsUrl));
    else {
      // The embedded FLS is started on save; what it needs is the vendor's public keys.
      try {
        await this.binder.verifier();
        checks.push({ id: 'trust', result: 'ok' });
      } catch (e) {
        checks.push({ id: 'trust', result: 'failed', error: toErrorInfo(e) });
      }
    }
    return checks;
  }

  private async fls(url: string): Promise<CheckResult> {
    try {
      await fetchFlsStatus(url, FLS_TIMEOUT_MS);
      return { id: 'fls', result: 'ok' };
    } catch (e) {
      return { id: 'fls', result: 'failed', error: toErrorInfo(e) };
    }
  }

  private async remote(s: Extract<LicenseServerSelection, { kind: 'remote' }>, account: OrsAccount, password: string | undefined): Promise<CheckResult[]> {
    const share = (async (): Promise<CheckResult[]> => {
      try {
        await this.shareClient.test(locationOf(s), credentialsOf(account, password), { timeoutMs: SHARE_TIMEOUT_MS });
        return SHARE_CHECKS.map((id) => ({ id, result: 'ok' as const }));
      } catch (e) {
        const info = toErrorInfo(e);
        const failed = (info.params?.['check'] as ShareCheck | undefined) ?? 'host';
        const at = SHARE_CHECKS.indexOf(failed);
        return SHARE_CHECKS.map((id, i): CheckResult => (i < at ? { id, result: 'ok' } : i === at ? { id: id as CheckId, result: 'failed', error: info } : { id, result: 'skipped' }));
      }
    })();
    const [fls, rest] = await Promise.all([this.fls(remoteFlsUrl(s)), share]);
    return [fls, ...rest];
  }
}
