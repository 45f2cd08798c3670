// web-test-runner prints no closing line CI log readers know; this prints
// `browser: N passed, N failed, N skipped` as the very last line.
export function summaryReporter() {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const walk = (suite) => {
    for (const t of suite.tests ?? []) {
      if (t.skipped) counts.skipped++;
      else if (t.passed) counts.passed++;
      else counts.failed++;
    }
    for (const s of suite.suites ?? []) walk(s);
  };
  return {
    onTestRunFinished({ sessions }) {
      for (const s of sessions) {
        if (s.testResults) walk(s.testResults);
        else if (!s.passed) counts.failed++;
      }
      process.once('exit', () => {
        process.stdout.write(`browser: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
      });
    },
  };
}
