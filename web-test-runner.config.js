// Browser tests in Debian's Chromium (no browser downloads); TypeScript through esbuild with the
// project's tsconfig (legacy decorators for lit). A last summary line is printed for CI readers.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { CHROMIUM, CHROMIUM_ARGS } from './test/support/chromium.js';
import { summaryReporter } from './test/support/wtr-summary-reporter.js';
import { defaultReporter } from '@web/test-runner';

export default {
  files: ['test/browser/*.test.ts'],
  nodeResolve: { browser: true, exportConditions: ['development'] },
  plugins: [esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json', target: 'es2022' })],
  browsers: [
    chromeLauncher({ launchOptions: { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS } }),
  ],
  concurrency: 1,
  browserStartTimeout: 60000,
  testsStartTimeout: 60000,
  testsFinishTimeout: 120000,
  testFramework: { config: { timeout: 10000 } },
  reporters: [defaultReporter(), summaryReporter()],
};
