// `ors daemon` for the tests: the real command, plus a module that binds shorter update-loop
// timings from test-only environment variables (production never reads them):
//   ORS_UPDATE_WAIT_SECONDS   long-poll hold (default 55–59 s)
//   ORS_UPDATE_POLL_MS        plain polling interval once long-polls are cut (default 60 s)
//   ORS_UPDATE_PICKUP_MS      how long the FLS may take to serve a new license (default 10 s)
//   ORS_UPDATE_STEP_DELAY_MS  a pause after each step, to widen the windows a kill can hit (default 0)
// Usage: node --import tsx test/support/ors-daemon-main.ts daemon --data-dir DIR [--heartbeat-seconds N]
import { Command } from 'commander';
import { ContainerModule } from 'inversify';
import { registerDaemonCommand } from '../../src/cli/daemon.js';
import { UpdaterTimings } from '../../src/daemon/update/updater-config.js';

function num(name: string, min: number, max: number): number | undefined {
  const v = process.env[name];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  return n >= min && n <= max ? n : undefined;
}

const timings: UpdaterTimings = Object.fromEntries(
  Object.entries({
    waitSeconds: num('ORS_UPDATE_WAIT_SECONDS', 1, 60),
    pollMs: num('ORS_UPDATE_POLL_MS', 100, 3_600_000),
    pickupDeadlineMs: num('ORS_UPDATE_PICKUP_MS', 100, 600_000),
    stepDelayMs: num('ORS_UPDATE_STEP_DELAY_MS', 0, 60_000),
  }).filter(([, v]) => v !== undefined),
);

const testTimings = new ContainerModule(({ rebind }) => {
  rebind(UpdaterTimings).toConstantValue(timings);
});

const program = new Command('ors');
registerDaemonCommand(program, [testTimings]);
await program.parseAsync(process.argv);
