// `npm test`: every check the project has, in the order that fails fastest, then one closing line.
//   type-check → lint (ESLint, web-ext lint on the Firefox build) → size budget of the product build → unit tests
//   → end-to-end tests in real Chromium and real Firefox on the test build.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const bin = (name) => join('node_modules', '.bin', name);
const reports = join('artifacts', 'test-reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const steps = [
  ['type-check', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']],
  ['eslint', bin('eslint'), ['.']],
  ['product build', 'node', ['scripts/build.mjs']],
  ['web-ext lint', 'node', ['scripts/lint-firefox.mjs']],
  ['size budget', bin('vitest'), ['run', '--project', 'size', '--reporter=default', '--reporter=json', `--outputFile.json=${join(reports, 'size.json')}`]],
  ['unit tests', bin('vitest'), ['run', '--project', 'unit', '--reporter=default', '--reporter=json', `--outputFile.json=${join(reports, 'unit.json')}`]],
  ['test build', 'node', ['scripts/build.mjs', '--test']],
  ['end-to-end tests (Chromium, Firefox)', bin('vitest'), ['run', '--project', 'e2e', '--reporter=default', '--reporter=json', `--outputFile.json=${join(reports, 'e2e.json')}`]],
];

const failedSteps = [];
for (const [name, command, args] of steps) {
  console.log(`\n=== ${name} ===`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  if (result.status !== 0) failedSteps.push(name);
}

let passed = 0;
let failed = 0;
for (const file of ['size.json', 'unit.json', 'e2e.json']) {
  try {
    const report = JSON.parse(readFileSync(join(reports, file), 'utf8'));
    passed += report.numPassedTests;
    // A file that fails to load has no test results of its own, but it failed.
    const unloaded = report.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length;
    failed += report.numFailedTests + unloaded;
  } catch {
    // The step's own failure is already listed.
  }
}
console.log('');
if (failedSteps.length > 0) console.log(`failed steps: ${failedSteps.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failedSteps.length > 0 || failed > 0 || passed === 0 ? 1 : 0);
