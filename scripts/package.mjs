// `npm run package`: product builds zipped for the Chrome Web Store and addons.mozilla.org,
// written to artifacts/keyring-for-zulip-<browser>-<version>.zip.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const run = (command, args) => {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

run('node', ['scripts/build.mjs']);
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
for (const browser of ['chrome', 'firefox']) {
  run(join('node_modules', '.bin', 'web-ext'), [
    'build',
    '--source-dir', join('dist', browser),
    '--artifacts-dir', 'artifacts',
    '--filename', `keyring-for-zulip-${browser}-${version}.zip`,
    '--overwrite-dest',
  ]);
}
