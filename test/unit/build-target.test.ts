import { describe, expect, it } from 'vitest';
import baseManifest from '../../manifest.json' with { type: 'json' };
import { deriveManifest, GECKO_ID, outDirFor, type Browser } from '../../scripts/build-target';

const derive = (browser: Browser, test: boolean) => deriveManifest(baseManifest, { browser, test, outDir: outDirFor(browser, test) });

describe('each browser\'s manifest, derived from the one base manifest', () => {
  it('Chrome gets a module service worker', () => {
    expect(derive('chrome', false).background).toEqual({ service_worker: 'src/background/background.ts', type: 'module' });
  });

  it('Firefox gets background scripts, its gecko id, a minimum version and its data-collection declaration', () => {
    const manifest = derive('firefox', false);
    expect(manifest.background).toEqual({ scripts: ['src/background/background.ts'], type: 'module' });
    expect(manifest.browser_specific_settings).toEqual({
      gecko: { id: GECKO_ID, strict_min_version: '142.0', data_collection_permissions: { required: ['authenticationInfo'] } },
    });
    expect(manifest).not.toHaveProperty('minimum_chrome_version');
  });

  it.each<Browser>(['chrome', 'firefox'])('the %s product build holds no host at install; hosts are optional, asked per realm', (browser) => {
    const manifest = derive(browser, false);
    expect(manifest).not.toHaveProperty('host_permissions');
    // webRequest sees only hosts granted at run time (single sign-on), and alarms need no host.
    expect(manifest.permissions).toEqual(['storage', 'scripting', 'webRequest', 'alarms']);
    expect(manifest.optional_host_permissions).toEqual(['https://*/*', 'http://localhost/*', 'http://127.0.0.1/*', 'http://[::1]/*']);
  });

  it.each<Browser>(['chrome', 'firefox'])('the %s test build adds only the loopback hosts, in its own folder', (browser) => {
    expect(derive(browser, true).host_permissions).toEqual(['http://localhost/*', 'http://127.0.0.1/*', 'http://[::1]/*']);
    expect(outDirFor(browser, true)).toBe(`dist/test/${browser}`);
  });
});
