// Debian's Chromium as every browser test starts it (shared by web-test-runner and Playwright).
import { existsSync } from 'node:fs';

/** The real binary when present: it skips the noisy wrapper script. */
export const CHROMIUM = existsSync('/usr/lib/chromium/chromium') ? '/usr/lib/chromium/chromium' : '/usr/bin/chromium';

/** As root Chromium needs --no-sandbox; the rest keeps it off the (closed) network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-dev-shm-usage',
];
