// `web-ext lint` on the Firefox product build: no errors, and no warning we have not explained
// in the README ("Firefox lint warnings").
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

// Preact's DOM renderer contains an innerHTML path (for dangerouslySetInnerHTML), which our code
// never uses and a lint rule forbids; web-ext sees the library code and warns.
const EXPLAINED = [{ code: 'UNSAFE_VAR_ASSIGNMENT', file: /^assets\/popup[^/]*\.js$/ }];

const sourceDir = join('dist', 'firefox');
if (!existsSync(join(sourceDir, 'manifest.json'))) {
  const build = spawnSync('node', ['scripts/build.mjs', '--browser', 'firefox'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const run = spawnSync(join('node_modules', '.bin', 'web-ext'), ['lint', '--source-dir', sourceDir, '--output', 'json'], { encoding: 'utf8' });
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  console.error(`web-ext lint did not produce a report:\n${run.stdout}\n${run.stderr}`);
  process.exit(1);
}
const unexplained = report.warnings.filter((w) => !EXPLAINED.some((e) => e.code === w.code && e.file.test(w.file ?? '')));
for (const message of [...report.errors, ...unexplained]) {
  console.error(`web-ext lint: ${message.code} ${message.file ?? ''}: ${message.message}`);
}
console.log(`web-ext lint (dist/firefox): ${report.errors.length} errors, ${report.warnings.length} warnings (${report.warnings.length - unexplained.length} explained in the README), ${report.notices.length} notices`);
process.exit(report.errors.length > 0 || unexplained.length > 0 ? 1 : 0);
