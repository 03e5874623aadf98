// Builds the extension for Chrome and Firefox from the one source tree.
//   node scripts/build.mjs           product builds: dist/chrome, dist/firefox
//   node scripts/build.mjs --test    test builds (loopback origins granted at install): dist/test/<browser>
//   node scripts/build.mjs --browser firefox   one browser only
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleProblems, manifestCspProblems } from './shipped-code.mjs';

const { values } = parseArgs({
  options: { test: { type: 'boolean', default: false }, browser: { type: 'string', multiple: true } },
});
const browsers = values.browser ?? ['chrome', 'firefox'];

for (const browser of browsers) {
  const env = { ...process.env, KEYRING_BROWSER: browser, KEYRING_TEST_BUILD: values.test ? '1' : '0' };
  for (const config of ['vite.config.ts', 'vite.content.config.ts']) {
    const result = spawnSync(join('node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn', '--config', config], { env, stdio: 'inherit' });
    if (result.status !== 0) {
      console.error(`build failed: ${browser} (${config})`);
      process.exit(result.status ?? 1);
    }
  }
  const outDir = values.test ? join('dist', 'test', browser) : join('dist', browser);
  checkBuiltManifest(outDir, browser, values.test);
  console.log(`built ${outDir}`);
}

// Guards against what bundler plugins may add behind our back (crxjs 3.0.0 lists content chunks in
// web_accessible_resources for every site when an entry is imported with `?script`, which lets any page
// detect the extension, and has pointed the service-worker loader at the wrong entry when two entries
// share a file name),
// and keeps the content security policy and the bundles free of code and HTML from strings.
function checkBuiltManifest(outDir, browser, test) {
  const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8'));
  const problems = [];
  if (manifest.web_accessible_resources?.length) problems.push('web_accessible_resources would let any page detect the extension');
  if (!test && manifest.host_permissions?.length) problems.push('the product build must not hold host permissions at install');
  if (manifest.content_scripts?.length) problems.push('content scripts are registered per realm at run time, not declared');
  if (browser === 'chrome' && !manifest.background?.service_worker) problems.push('Chrome needs background.service_worker');
  if (browser === 'firefox' && !manifest.background?.scripts) problems.push('Firefox needs background.scripts');
  if (browser === 'chrome') {
    const loader = readFileSync(join(outDir, manifest.background.service_worker), 'utf8');
    if (!/background/.test(loader) || /content-script/.test(loader)) problems.push('the service-worker loader does not import the background entry');
  }
  problems.push(...manifestCspProblems(manifest));
  const scripts = readdirSync(outDir, { recursive: true, encoding: 'utf8' }).filter((path) => path.endsWith('.js'));
  problems.push(...bundleProblems(scripts.map((path) => ({ path, text: readFileSync(join(outDir, path), 'utf8') }))));
  if (problems.length) {
    console.error(`${outDir}:\n  - ${problems.join('\n  - ')}`);
    process.exit(1);
  }
}
