import { defineConfig } from 'vite';
import { buildTargetFromEnv, CONTENT_SCRIPT_FILE } from './scripts/build-target.ts';

// Content scripts are registered at run time with scripting.registerContentScripts, which takes
// classic scripts only. A self-contained IIFE needs no web_accessible_resources, so pages
// cannot probe for the extension (crxjs's module loader would need them for every site).
const target = buildTargetFromEnv(process.env);

export default defineConfig({
  build: {
    outDir: target.outDir,
    emptyOutDir: false,
    target: 'es2022',
    lib: {
      entry: 'src/content/content-script.ts',
      formats: ['iife'],
      name: 'keyringForZulipContentScript',
      fileName: () => CONTENT_SCRIPT_FILE,
    },
  },
});
