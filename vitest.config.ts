import { configDefaults, defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const fakeBrowser = fileURLToPath(new URL('./test/unit/fake-browser.ts', import.meta.url));

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    projects: [
      {
        extends: true,
        resolve: { alias: { 'webextension-polyfill': fakeBrowser } },
        test: {
          name: 'unit',
          include: ['src/**/*.test.{ts,tsx}', 'test/unit/**/*.test.ts', 'test/fake-zulip/**/*.test.ts', 'bench/**/*.test.ts'],
          // Checks the product build, so `npm test` runs it after building (project "size").
          exclude: [...configDefaults.exclude, 'bench/**/*.dist.test.ts'],
          environment: 'node',
          setupFiles: ['test/unit/setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'size',
          include: ['bench/**/*.dist.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          pool: 'forks',
        },
      },
    ],
  },
});
