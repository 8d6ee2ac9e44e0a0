// Sums the lines written by count-reporter.cjs and prints `N passed, N failed, N skipped`.
const { existsSync, readFileSync } = require('node:fs');

const file = process.argv[2];
const totals = { passed: 0, failed: 0, skipped: 0 };
if (file && existsSync(file)) {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line);
    totals.passed += r.passed;
    totals.failed += r.failed;
    totals.skipped += r.skipped;
  }
}
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.passed > 0 && totals.failed === 0 ? 0 : 1);
