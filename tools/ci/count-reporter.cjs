// A Jest reporter that appends each project's totals to $STB_TEST_COUNTS (one JSON line per run),
// so .ci/run can print one closing line for the whole workspace.
const { appendFileSync } = require('node:fs');

class CountReporter {
  onRunComplete(_contexts, results) {
    const file = process.env.STB_TEST_COUNTS;
    if (!file) return;
    appendFileSync(file, JSON.stringify({
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    }) + '\n');
  }
}

module.exports = CountReporter;
