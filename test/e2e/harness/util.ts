// Shared plumbing for the browser harnesses (no browser-specific code here).
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Default for every wait/action that takes no explicit timeout. */
export const DEFAULT_TIMEOUT_MS = 10_000;

const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');

export interface BuiltExtension {
  dir: string;
  manifest: {
    action?: { default_popup?: string };
    browser_specific_settings?: { gecko?: { id?: string } };
    [key: string]: unknown;
  };
  popupPath: string;
}

/**
 * Finds the built test extension. `distDir` may be the extension folder itself (holding manifest.json)
 * or a folder holding `chrome/` and `firefox/` (like dist/test).
 */
export function loadBuiltExtension(browserDir: 'chrome' | 'firefox', distDir?: string): BuiltExtension {
  const base = distDir ? resolve(distDir) : join(REPO_ROOT, 'dist', 'test');
  const dir = existsSync(join(base, 'manifest.json')) ? base : join(base, browserDir);
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new Error(`No built extension at ${dir} (missing manifest.json). Build it first: cd ${REPO_ROOT} && node scripts/build.mjs --test`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as BuiltExtension['manifest'];
  const popupPath = manifest.action?.default_popup;
  if (!popupPath) throw new Error(`${manifestPath} has no action.default_popup`);
  return { dir, manifest, popupPath: popupPath.replace(/^\/+/, '') };
}

/** First executable candidate, or an Error that says how to install the browsers. */
export function findBinary(what: string, envVar: string, candidates: string[]): string {
  const fromEnv = process.env[envVar];
  const list = fromEnv ? [fromEnv] : candidates;
  for (const path of list) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // try the next one
    }
  }
  throw new Error(
    `${what} binary not found (looked for ${list.join(', ')}${fromEnv ? ` from $${envVar}` : `; set $${envVar} to override`}). ` +
      'Install the browsers with: apt-get install -y chromium firefox-esr',
  );
}

export function makeProfileDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `keyring-e2e-${prefix}-`));
  return {
    dir,
    remove() {
      // Firefox may still be flushing files for a moment after exit: retry.
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Polls `probe` until it returns a non-undefined value. Probe errors (for example a page context destroyed by a
 * navigation) count as "not yet"; the last one is reported on timeout.
 */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await sleep(intervalMs);
  }
}

/** Rejects when `promise` takes longer than `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms: ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function describeName(name: string | RegExp): string {
  return typeof name === 'string' ? JSON.stringify(name) : String(name);
}

/**
 * Source text of a function passed by a spec, as an expression. Rejects functions the browser could not rebuild
 * from their text (method shorthand, native/bound functions).
 */
export function functionSource(fn: (...args: never[]) => unknown): string {
  const src = Function.prototype.toString.call(fn).trim();
  if (/\{\s*\[native code\]\s*\}$/.test(src)) throw new Error('Cannot send a native or bound function to the browser');
  if (!/^(async\b\s*)?(function\b|\(|[\w$]+\s*=>)/.test(src)) {
    throw new Error(`Pass an arrow function or a function expression (got: ${src.slice(0, 60)}...)`);
  }
  return `(${src})`;
}
