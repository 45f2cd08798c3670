// `npm test`: build, lint, type check, then every test suite (node, browser, end-to-end).
// Each stage's output streams through; the last line sums all suites as `all: N passed, N failed, N skipped`.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

// One full run per machine at a time: the suites start real servers, system users and Chromium, and
// two runs on a 2-core machine starve each other into timeouts. flock(1) releases the lock when the
// holder dies; where flock is missing the run simply goes ahead.
if (!process.env.ORS_TEST_LOCKED && spawnSync('flock', ['--version'], { stdio: 'ignore' }).status === 0) {
  const lock = spawnSync('flock', ['--exclusive', '/tmp/ors-test-suite.lock', process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, ORS_TEST_LOCKED: '1' },
  });
  process.exit(lock.status ?? 1);
}

const files = (dir, suffix) => readdirSync(dir).filter((f) => f.endsWith(suffix)).sort().map((f) => `${dir}/${f}`);
const node = process.execPath;
const bin = (name) => `node_modules/.bin/${name}`;

const stages = [
  { name: 'build', cmd: node, args: ['scripts/build.js'] },
  { name: 'lint', cmd: bin('eslint'), args: ['--max-warnings=0', '.'] },
  { name: 'typecheck', cmd: bin('tsc'), args: ['-p', '.'] },
  { name: 'node', cmd: node, args: ['--import', 'tsx', '--test', '--test-reporter=spec', ...files('test/node', '.test.ts')], counts: 'node' },
  { name: 'browser', cmd: bin('web-test-runner'), args: ['--config', 'web-test-runner.config.js'], counts: 'wtr' },
  { name: 'e2e', cmd: node, args: ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files('test/e2e', '.test.ts')], counts: 'node' },
];

const only = process.argv.slice(2);
const total = { passed: 0, failed: 0, skipped: 0 };
const failedStages = [];
for (const stage of stages.filter((s) => !only.length || only.includes(s.name))) {
  const started = Date.now();
  console.log(`\n=== ${stage.name}`);
  const { code, output } = await run(stage.cmd, stage.args);
  const c = stage.counts === 'node' ? nodeCounts(output) : stage.counts === 'wtr' ? wtrCounts(output) : undefined;
  if (c) {
    total.passed += c.passed;
    total.failed += c.failed;
    total.skipped += c.skipped;
    if (c.passed + c.failed === 0) failedStages.push(`${stage.name} (ran no test)`);
  }
  if (code !== 0) failedStages.push(stage.name);
  console.log(`=== ${stage.name}: ${code === 0 ? 'ok' : `failed (exit ${code})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
if (failedStages.length) console.log(`\nfailed stages: ${failedStages.join(', ')}`);
console.log(`all: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(failedStages.length ? 1 : 0);

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    const tee = (stream) => (chunk) => {
      output += chunk.toString();
      stream.write(chunk);
    };
    child.stdout.on('data', tee(process.stdout));
    child.stderr.on('data', tee(process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

function nodeCounts(out) {
  const n = (label) => Number(out.match(new RegExp(`^ℹ ${label} (\\d+)`, 'm'))?.[1] ?? 0);
  return { passed: n('pass'), failed: n('fail') + n('cancelled'), skipped: n('skipped') + n('todo') };
}

function wtrCounts(out) {
  const m = out.match(/^browser: (\d+) passed, (\d+) failed, (\d+) skipped$/m);
  return m ? { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3]) } : { passed: 0, failed: 1, skipped: 0 };
}
