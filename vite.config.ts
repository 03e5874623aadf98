import { defineConfig } from 'vite';
import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import baseManifest from './manifest.json' with { type: 'json' };
import { buildTargetFromEnv, deriveManifest } from './scripts/build-target.ts';

const target = buildTargetFromEnv(process.env);

export default defineConfig({
  plugins: [
    preact(),
    crx({ manifest: deriveManifest(baseManifest, target) as never, browser: target.browser }),
  ],
  build: {
    outDir: target.outDir,
    emptyOutDir: true,
    target: 'es2022',
    // The popup's HTML then names every chunk its first view imports, and the browser fetches them
    // together instead of one import level after another (about 10 ms in Chromium, bench/). Both
    // browsers support modulepreload: no polyfill.
    modulePreload: { polyfill: false },
    // Pages the manifest does not name: the tab that saves a zuliprc (opened by the popup, never by web pages).
    rolldownOptions: { input: { zuliprc: 'src/export/zuliprc.html' } },
  },
  server: { host: '127.0.0.1' },
});
