// The builds the bench loads: the product build (for sizes), and per browser "ours" (the test build, which holds the
// loopback origins at install, with the popup marks imported first) and the floor extension.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { build, type Plugin } from 'vite';
import baseManifest from '../manifest.json' with { type: 'json' };
import { deriveManifest, GECKO_ID, type Browser } from '../scripts/build-target.ts';
import floorManifest from './floor/manifest.json' with { type: 'json' };

export const ROOT = resolve(import.meta.dirname, '..');
export const oursDir = (browser: Browser) => join(ROOT, 'dist', 'bench', `ours-${browser}`);
export const floorDir = (browser: Browser) => join(ROOT, 'dist', 'bench', `floor-${browser}`);
export const productDir = (browser: Browser) => join(ROOT, 'dist', browser);

const POPUP_ENTRY = join(ROOT, 'src', 'popup', 'popup.tsx');
const POPUP_MARKS = join(ROOT, 'bench', 'popup-marks.ts');

/** Puts the marks module before everything else the popup imports. Bench builds only. */
function popupMarks(): Plugin {
  return {
    name: 'keyring-bench-popup-marks',
    transform(code, id) {
      if (id.split('?')[0] !== POPUP_ENTRY) return null;
      return { code: `import ${JSON.stringify(POPUP_MARKS)};\n${code}`, map: null };
    },
  };
}

async function viteBuild(manifest: Record<string, unknown>, browser: Browser, outDir: string, extra: Plugin[], publicDir: string | false): Promise<void> {
  await build({
    configFile: false,
    root: ROOT,
    publicDir,
    logLevel: 'warn',
    plugins: [preact(), ...extra, crx({ manifest: manifest as never, browser })],
    build: { outDir, emptyOutDir: true, target: 'es2022', modulePreload: false },
  });
}

export async function buildAll(browsers: Browser[]): Promise<void> {
  // The product build, with its own checks (sizes are measured on it).
  const product = spawnSync('node', ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (product.status !== 0) throw new Error('the product build failed');
  for (const browser of browsers) {
    const ours = oursDir(browser);
    await viteBuild(deriveManifest(baseManifest, { browser, test: true, outDir: ours }), browser, ours, [popupMarks()], join(ROOT, 'public'));
    const content = spawnSync(join('node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn', '--config', 'vite.content.config.ts', '--outDir', ours], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, KEYRING_BROWSER: browser, KEYRING_TEST_BUILD: '1' },
    });
    if (content.status !== 0) throw new Error(`the content script build failed (${browser})`);
    await viteBuild(floorManifestFor(browser), browser, floorDir(browser), [], false);
  }
}

function floorManifestFor(browser: Browser): Record<string, unknown> {
  const manifest: Record<string, unknown> = structuredClone(floorManifest);
  if (browser === 'firefox') {
    manifest.background = { scripts: [floorManifest.background.service_worker], type: 'module' };
    manifest.browser_specific_settings = { gecko: { id: `floor-${GECKO_ID}`, strict_min_version: '142.0', data_collection_permissions: { required: ['none'] } } };
  }
  return manifest;
}
