// The one place that knows how a browser's manifest differs from the base manifest.json.
// Everything else (code, assets) is identical between the Chrome and Firefox builds.

export type Browser = 'chrome' | 'firefox';

export interface BuildTarget {
  browser: Browser;
  /** Test builds also hold the loopback origins at install: headless Chromium cannot answer a permission prompt. */
  test: boolean;
  outDir: string;
}

export const GECKO_ID = 'keyring-for-zulip@keyring-for-zulip.invalid';
export const CONTENT_SCRIPT_FILE = 'content-script.js';

const LOOPBACK_ORIGINS = ['http://localhost/*', 'http://127.0.0.1/*', 'http://[::1]/*'];

export function buildTargetFromEnv(env: Record<string, string | undefined>): BuildTarget {
  const browser = env.KEYRING_BROWSER ?? 'chrome';
  if (browser !== 'chrome' && browser !== 'firefox') {
    throw new Error(`KEYRING_BROWSER must be "chrome" or "firefox", not ${JSON.stringify(browser)}`);
  }
  const test = env.KEYRING_TEST_BUILD === '1';
  return { browser, test, outDir: outDirFor(browser, test) };
}

export function outDirFor(browser: Browser, test: boolean): string {
  return test ? `dist/test/${browser}` : `dist/${browser}`;
}

type Manifest = Record<string, unknown> & {
  background: { service_worker: string; type?: string };
};

export function deriveManifest(base: Manifest, target: BuildTarget): Record<string, unknown> {
  const manifest: Record<string, unknown> = structuredClone(base);
  if (target.test) {
    manifest.host_permissions = [...LOOPBACK_ORIGINS];
  }
  if (target.browser === 'firefox') {
    manifest.background = { scripts: [base.background.service_worker], type: 'module' };
    delete manifest.minimum_chrome_version;
    manifest.browser_specific_settings = {
      gecko: {
        id: GECKO_ID,
        strict_min_version: '142.0',
        data_collection_permissions: { required: ['authenticationInfo'] },
      },
    };
  }
  return manifest;
}
