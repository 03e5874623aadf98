// `npm run demo`: the bundled demo realm plus a browser with the extension loaded.
//   npm run demo                      Chromium (Debian's /usr/bin/chromium)
//   npm run demo -- --browser firefox Firefox (firefox-esr)
//   npm run demo -- --server-only     only the demo realm, for loading the extension by hand
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDemoRealm, GITHUB_AUTH_METHOD, GOOGLE_AUTH_METHOD, IAGO, STRANGER_EMAIL } from '../test/fake-zulip/demo-realm.ts';
import { startFakeZulip, type FakeRealmConfig, type FakeZulipServer } from '../test/fake-zulip/fake-zulip-server.ts';
import { startFakeIdentityProvider } from '../test/fake-zulip/identity-provider.ts';

const { values } = parseArgs({
  options: {
    browser: { type: 'string', default: 'chromium' },
    port: { type: 'string', default: '9991' },
    'server-only': { type: 'boolean', default: false },
  },
});
const browserKind = values.browser === 'firefox' ? 'firefox' : 'chromium';
if (values.browser !== 'chromium' && values.browser !== 'firefox') {
  console.error(`--browser must be chromium or firefox, not ${values.browser}`);
  process.exit(2);
}

const identityProvider = await startFakeIdentityProvider({ identities: [IAGO.email, STRANGER_EMAIL] });

function demoRealm(): FakeRealmConfig {
  return createDemoRealm({
    externalAuthenticationMethods: [{ ...GOOGLE_AUTH_METHOD }, { ...GITHUB_AUTH_METHOD }],
    sso: { identityProvider: identityProvider.url },
  });
}

async function startServer(): Promise<FakeZulipServer> {
  try {
    return await startFakeZulip({ realm: demoRealm(), port: Number(values.port) });
  } catch {
    // The usual port is taken (another demo?): any free port does.
    return startFakeZulip({ realm: demoRealm(), port: 0 });
  }
}

const server = await startServer();

console.log(`
Demo Zulip organization running at ${server.url}
  Server URL: ${server.url}
  Email:      ${IAGO.email}
  Password:   ${IAGO.password}
  Or Google / GitHub: both lead to the fake identity provider at ${identityProvider.url},
  which offers ${IAGO.email} and ${STRANGER_EMAIL} (who has no account here).
`);

async function stop(code: number): Promise<never> {
  await Promise.all([server.close(), identityProvider.close()]);
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

if (values['server-only']) {
  console.log('Load dist/chrome or dist/firefox into your browser (see README), then press Ctrl+C here to stop the server.');
} else {
  const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (!hasDisplay) {
    console.error(`No display found (neither DISPLAY nor WAYLAND_DISPLAY is set), so no browser can be opened here.
Run this on a desktop, or start only the demo realm with:  npm run demo -- --server-only
and load dist/chrome or dist/firefox into a browser that can reach ${server.url}.`);
    await stop(1);
  }
  const target = browserKind === 'firefox' ? 'firefox' : 'chrome';
  console.log(`Building the extension for ${target}…`);
  const build = spawnSync('node', ['scripts/build.mjs', '--browser', target], { stdio: 'inherit' });
  if (build.status !== 0) await stop(build.status ?? 1);

  const binary = browserKind === 'firefox' ? '/usr/lib/firefox-esr/firefox-esr' : '/usr/bin/chromium';
  if (!existsSync(binary)) {
    console.error(`${binary} is missing. Install it with: apt-get install -y ${browserKind === 'firefox' ? 'firefox-esr' : 'chromium'}`);
    await stop(1);
  }
  const webExtArgs = [
    'run',
    '--source-dir', join('dist', target),
    '--start-url', server.url,
    ...(browserKind === 'firefox'
      ? ['--target', 'firefox-desktop', '--firefox', binary]
      : ['--target', 'chromium', '--chromium-binary', binary, '--args=--no-first-run', '--args=--disable-background-networking',
         // Chromium refuses to start as root without this; a person's desktop session does not need it.
         ...(process.getuid?.() === 0 ? ['--args=--no-sandbox'] : [])]),
  ];
  console.log('Opening the browser. Click the Keyring for Zulip toolbar button and add the account above. Ctrl+C stops everything.');
  const browser = spawn(join('node_modules', '.bin', 'web-ext'), webExtArgs, { stdio: 'inherit' });
  browser.on('exit', (code) => void stop(code ?? 0));
}
