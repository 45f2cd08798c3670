// Logs of a service that runs for years: the file log rotates by size and keeps a bounded number of
// files (rotating-file-stream), secrets are scrubbed in every file; under systemd (stderr is the
// journal stream) the real `ors daemon` logs to stderr only and writes no file.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, fstatSync, openSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DaemonLog, chooseLogTarget } from '../../src/daemon/daemon-log.js';
import { endpointFileOf } from '../../src/services/ors-control/daemon-endpoint-client.js';
import { ORS_SOURCE, ROOT, tempDir } from '../support/processes.js';

const until = async (pred: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

/** Runs `ors daemon` from the sources with stderr into a file; `journal` announces that file as the journal stream. */
async function runDaemon(dataDir: string, o: { journal?: 'matching' | 'inherited'; args?: readonly string[] }) {
  const stderrFile = path.join(dataDir, '..', `${path.basename(dataDir)}.stderr`);
  const fd = openSync(stderrFile, 'w');
  const st = fstatSync(fd);
  const env: NodeJS.ProcessEnv = { ...process.env, ORS_LOG_LEVEL: 'info' };
  if (o.journal === 'matching') env['JOURNAL_STREAM'] = `${st.dev}:${st.ino}`;
  if (o.journal === 'inherited') env['JOURNAL_STREAM'] = `${st.dev}:${st.ino + 1}`; // a parent's journal, not this stderr
  const [cmd, ...pre] = ORS_SOURCE;
  const child = spawn(cmd!, [...pre, 'daemon', '--data-dir', dataDir, ...(o.args ?? [])], { cwd: ROOT, stdio: ['ignore', 'ignore', fd], env });
  closeSync(fd);
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  // "ORS service started" is logged in the same tick that installs the stop-signal handler.
  const logFile = path.join(dataDir, 'ors', 'daemon.log');
  const started = async (f: string): Promise<boolean> => existsSync(f) && (await readFile(f, 'utf8')).includes('"msg":"ORS service started"');
  await until(async () => existsSync(endpointFileOf(dataDir)) && ((await started(stderrFile)) || (await started(logFile))), 30_000, 'the daemon started');
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
  return { stderr: await readFile(stderrFile, 'utf8'), logFile: existsSync(logFile) ? await readFile(logFile, 'utf8') : undefined };
}

describe('the ORS service log', () => {
  it('rotates the file by size and keeps a bounded number of files, every one scrubbed of the secrets', async () => {
    const t = await tempDir('ors-log-');
    const log = new DaemonLog(t.dir, { target: 'file', maxSize: '2K', keep: 3 });
    const secret = 'Verif1cation-Code"quoted';
    log.setSecrets([secret]);
    for (let i = 0; i < 200; i++) log.logger.info({ i, note: `attempt with ${secret}` }, `line ${i} mentions ${secret}`);
    await log.close();
    const names = (await readdir(t.dir)).filter((n) => n.startsWith('daemon.log')).sort();
    assert.deepEqual(names, ['daemon.log', 'daemon.log.1', 'daemon.log.2', 'daemon.log.3'], 'the current file and three rotated ones, no more');
    let lines = 0;
    for (const n of names) {
      const text = await readFile(path.join(t.dir, n), 'utf8');
      assert.ok((await stat(path.join(t.dir, n))).size <= 2048 + 400, `${n} stays about the size limit`);
      assert.equal(text.includes('Verif1cation'), false, `${n} holds no secret`);
      assert.match(text, /\[redacted\]/);
      assert.equal((await stat(path.join(t.dir, n))).mode & 0o777, 0o600);
      lines += text.split('\n').filter(Boolean).length;
    }
    assert.ok(lines < 200, 'the oldest lines were dropped');
    const newest = (await readFile(path.join(t.dir, 'daemon.log'), 'utf8')).trim().split('\n').pop()!;
    assert.equal((JSON.parse(newest) as { i: number }).i, 199);
    await t.cleanup();
  });

  it('picks the journal only when stderr is the stream systemd announced', () => {
    assert.equal(chooseLogTarget('auto', {}), 'both');
    assert.equal(chooseLogTarget('auto', { JOURNAL_STREAM: '1:2' }), 'both', 'a JOURNAL_STREAM that is not this stderr');
    assert.equal(chooseLogTarget('file', {}), 'file');
    assert.equal(chooseLogTarget('journal', {}), 'journal');
  });

  it('under systemd the real daemon logs to stderr (the journal) and writes no file; elsewhere it writes both', async () => {
    const t = await tempDir('ors-log-daemon-');
    const journal = await runDaemon(path.join(t.dir, 'journal'), { journal: 'matching' });
    assert.match(journal.stderr, /"msg":"ORS service started"/);
    assert.equal(journal.logFile, undefined, 'no daemon.log under the journal');
    const inherited = await runDaemon(path.join(t.dir, 'inherited'), { journal: 'inherited' });
    assert.match(inherited.stderr, /"msg":"ORS service started"/);
    assert.match(inherited.logFile ?? '', /"msg":"ORS service started"/, 'an inherited JOURNAL_STREAM does not count');
    const file = await runDaemon(path.join(t.dir, 'file'), { args: ['--log', 'file'] });
    assert.equal(file.stderr, '', 'a Windows service logs only to its file');
    assert.match(file.logFile ?? '', /"msg":"stopped"/);
    await t.cleanup();
  });
});
