// The lint rules (eslint.config.js), checked against the real configuration: each forbidden construct is an error,
// and the allowed form next to it is not. The security rules keep code-from-strings and HTML injection out of what
// ships; the structure rules keep imports acyclic and each part of the extension to what it may import; the
// type-aware rules catch promises left unobserved, switches that miss a case and type imports written as values.
//
// The linted files exist for the length of this file, in a scratch folder under each part: the type-aware rules only
// see files in tsconfig.json's program, and the cycle rule reads the modules a file imports from disk.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const scratch = `lint-scratch-${process.pid}`;
const folders = ['src/popup', 'src/content', 'src/background', 'src/export', 'src/shared', 'src/background/accounts', 'src/background/handlers', 'test/unit'];
const at = (folder: string, name: string) => `${folder}/${scratch}/${name}`;

// Modules the linted text imports, with their real content.
const onDisk: Record<string, string> = {
  [at('src/shared', 'a.ts')]: "import type { B } from './b';\nexport interface A { b?: B }\n",
  [at('src/shared', 'b.ts')]: "import type { A } from './a';\nexport interface B { a?: A }\n",
  [at('src/shared', 'shape.ts')]: 'export interface Shape { side: number }\n',
  [at('src/popup', 'widget.ts')]: 'export const widget = 1;\n',
  [at('src/background/handlers', 'handle.ts')]: 'export const handle = 1;\n',
};
// Where linted text is said to live; the file on disk is a placeholder, the text is what is linted.
const placeholders = [
  at('src/popup', 'Example.tsx'),
  at('src/content', 'example.ts'),
  at('src/background', 'example.ts'),
  at('src/export', 'example.ts'),
  at('src/export', 'example.test.ts'),
  at('src/shared', 'example.ts'),
  at('src/background/accounts', 'example.ts'),
  at('src/background/accounts', 'example.test.ts'),
  at('src/background/handlers', 'example.ts'),
  at('test/unit', 'example.ts'),
];

let eslint: ESLint;
beforeAll(async () => {
  const files: Array<[string, string]> = [...Object.entries(onDisk), ...placeholders.map((path): [string, string] => [path, 'export {};\n'])];
  for (const [path, code] of files) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, code);
  }
  eslint = new ESLint({ cwd: process.cwd() });
  // The first typed lint builds the TypeScript program: seconds, not a test's worth.
  await eslint.lintText('export {};\n', { filePath: at('src/shared', 'example.ts') });
}, 120_000);
afterAll(() => {
  for (const folder of folders) rmSync(join(folder, scratch), { recursive: true, force: true });
});

async function errors(code: string, filePath: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.severity === 2);
}

async function ruleIds(code: string, filePath = at('src/popup', 'Example.tsx')): Promise<string[]> {
  return (await errors(code, filePath)).map((m) => m.ruleId ?? m.message);
}

describe('shipped code may not build code or HTML from strings', () => {
  it.each([
    ['eval', "export const run = (s: string) => eval(s);", 'no-eval'],
    ['new Function', "export const make = (s: string) => new Function(s);", 'no-new-func'],
    ['Function()', "export const make = (s: string) => Function(s);", 'no-new-func'],
    ['setTimeout with a string', "setTimeout('alert(1)', 10);", 'no-implied-eval'],
    ['setInterval with a string', "globalThis.setInterval('alert(1)', 10);", 'no-implied-eval'],
    ['innerHTML', "export const set = (el: Element, s: string) => { el.innerHTML = s; };", 'no-restricted-syntax'],
    ['innerHTML, computed', "export const set = (el: Element, s: string) => { el['innerHTML'] += s; };", 'no-restricted-syntax'],
    ['outerHTML', "export const set = (el: Element, s: string) => { el.outerHTML = s; };", 'no-restricted-syntax'],
    ['srcdoc', "export const set = (el: HTMLIFrameElement, s: string) => { el.srcdoc = s; };", 'no-restricted-syntax'],
    ['srcdoc attribute', "export const set = (el: Element, s: string) => el.setAttribute('srcdoc', s);", 'no-restricted-syntax'],
    ['inline handler attribute', "export const set = (el: Element, s: string) => el.setAttribute('onclick', s);", 'no-restricted-syntax'],
    ['insertAdjacentHTML', "export const add = (el: Element, s: string) => el.insertAdjacentHTML('beforeend', s);", 'no-restricted-syntax'],
    ['createContextualFragment', "export const parse = (s: string) => document.createRange().createContextualFragment(s);", 'no-restricted-syntax'],
    ['setHTMLUnsafe', "export const set = (el: Element & { setHTMLUnsafe(s: string): void }, s: string) => el.setHTMLUnsafe(s);", 'no-restricted-syntax'],
    ['DOMParser', "export const parse = (s: string) => new DOMParser().parseFromString(s, 'text/html');", 'no-restricted-syntax'],
    ['document.write', "export const out = (s: string) => document.write(s);", 'no-restricted-syntax'],
    ['document.writeln', "export const out = (s: string) => document.writeln(s);", 'no-restricted-syntax'],
    ['dangerouslySetInnerHTML in JSX', "export const C = ({ s }: { s: string }) => <div dangerouslySetInnerHTML={{ __html: s }} />;", 'no-restricted-syntax'],
    ['dangerouslySetInnerHTML in props', "import { h } from 'preact';\nexport const C = (s: string) => h('div', { dangerouslySetInnerHTML: { __html: s } });", 'no-restricted-syntax'],
    ['srcdoc in JSX', "export const C = ({ s }: { s: string }) => <iframe srcdoc={s} />;", 'no-restricted-syntax'],
    ['a javascript: URL', "export const go = () => { location.href = 'javascript:alert(1)'; };", 'no-script-url'],
  ])('%s', async (_, code, rule) => {
    expect(await ruleIds(code)).toContain(rule);
  });

  it('plain Preact code passes', async () => {
    const code = [
      "import { useState } from 'preact/hooks';",
      'export function Greeting({ name }: { name: string }) {',
      "  const [shown, setShown] = useState(false);",
      '  setTimeout(() => setShown(true), 10);',
      '  return <p title={name}>{shown ? name : null}</p>;',
      '}',
    ].join('\n');
    expect(await ruleIds(code)).toEqual([]);
  });

  it('applies to the background and content scripts too', async () => {
    expect(await ruleIds("export const run = (s: string) => { document.body.innerHTML = s; };", at('src/content', 'example.ts'))).toContain('no-restricted-syntax');
    expect(await ruleIds("export const run = (s: string) => eval(s);", at('src/background', 'example.ts'))).toContain('no-eval');
  });
});

describe('imports form no cycle', () => {
  it('a cycle of type-only imports is an error, naming the chain', async () => {
    const found = await errors("import type { B } from './b';\nexport interface A { b?: B }\n", at('src/shared', 'a.ts'));
    expect(found.map((m) => m.ruleId)).toEqual(['local/no-import-cycle']);
    expect(found[0]?.message).toContain(`${at('src/shared', 'a.ts')} → ${at('src/shared', 'b.ts')} → ${at('src/shared', 'a.ts')}`);
  });

  it('a cycle closed by an import() call is an error too', async () => {
    const code = "export const load = () => import('./b');\n";
    expect(await ruleIds(code, at('src/shared', 'a.ts'))).toContain('local/no-import-cycle');
  });

  it('importing a module that sits in a cycle, without closing one, is not', async () => {
    expect(await ruleIds("import type { A } from './a';\nexport type Many = A[];\n", at('src/shared', 'example.ts'))).toEqual([]);
  });

  it('the linted text counts, not the file on disk: a.ts without its import of b closes no cycle', async () => {
    expect(await ruleIds('export interface A { b?: unknown }\n', at('src/shared', 'a.ts'))).toEqual([]);
  });
});

describe("each part of the extension imports only src/shared and packages", () => {
  it.each([
    ['src/export', 'src/popup', '../../popup/x'],
    ['src/popup', 'src/background', '../../background/x'],
    ['src/background', 'src/content', '../../content/x'],
    ['src/content', 'src/export', '../../export/x'],
    ['src/shared', 'src/popup', '../../popup/x'],
  ])('%s may not import %s', async (from, _, specifier) => {
    const file = at(from, from === 'src/popup' ? 'Example.tsx' : 'example.ts');
    expect(await ruleIds(`export { x } from '${specifier}';\n`, file)).toContain('local/import-boundaries');
  });

  it('however the path is spelled', async () => {
    const code = `export { widget } from '../../shared/../popup/${scratch}/widget';\n`;
    expect(await ruleIds(code, at('src/export', 'example.ts'))).toContain('local/import-boundaries');
  });

  it('tests in a part keep to it too', async () => {
    const code = `import { widget } from '../../popup/${scratch}/widget';\nexport const w = widget;\n`;
    expect(await ruleIds(code, at('src/export', 'example.test.ts'))).toContain('local/import-boundaries');
  });

  it('src/shared and packages may be imported', async () => {
    const code = `import { h } from 'preact';\nimport type { Shape } from '../../shared/${scratch}/shape';\nexport const box = (s: Shape) => h('div', { title: String(s.side) });\n`;
    expect(await ruleIds(code, at('src/export', 'example.ts'))).toEqual([]);
  });
});

describe('only the entry files import webextension-polyfill', () => {
  const useBrowser = "import browser from 'webextension-polyfill';\nexport const id = () => browser.runtime.id;\n";

  it('a module that is not an entry file may not', async () => {
    expect(await ruleIds(useBrowser, at('src/popup', 'Example.tsx'))).toContain('local/import-boundaries');
    expect(await ruleIds(useBrowser, at('src/shared', 'example.ts'))).toContain('local/import-boundaries');
    expect(await ruleIds("export const load = () => import('webextension-polyfill');\n", at('src/background', 'example.ts'))).toContain('local/import-boundaries');
  });

  it.each(['src/background/background.ts', 'src/popup/popup.tsx', 'src/content/content-script.ts', 'src/export/zuliprc.ts'])('the entry file %s may', async (entry) => {
    expect(await ruleIds(useBrowser, entry)).toEqual([]);
  });

  it('a test may (the unit tests map it to the fake browser), and so may a type-only import', async () => {
    expect(await ruleIds(useBrowser, at('src/background/accounts', 'example.test.ts'))).toEqual([]);
    const typesOnly = "import type { Runtime } from 'webextension-polyfill';\nexport const idOf = (sender: Runtime.MessageSender) => sender.id;\n";
    expect(await ruleIds(typesOnly, at('src/shared', 'example.ts'))).toEqual([]);
  });
});

describe("the background's capabilities do not import its handlers or messaging", () => {
  it.each([
    ['handlers', `import { handle } from '../../handlers/${scratch}/handle';\nexport const h = handle;\n`],
    ['messaging', "export { createMessageRouter } from '../../messaging/message-router';\n"],
  ])('a capability folder may not import %s/', async (_, code) => {
    expect(await ruleIds(code, at('src/background/accounts', 'example.ts'))).toContain('local/import-boundaries');
  });

  it('handlers may import a capability, and a capability may import another', async () => {
    const code = "export { createAccountStore } from '../../accounts/account-store';\n";
    expect(await ruleIds(code, at('src/background/handlers', 'example.ts'))).toEqual([]);
    const capability = "export { createAccountStore } from '../account-store';\n";
    expect(await ruleIds(capability, at('src/background/accounts', 'example.ts'))).toEqual([]);
  });

  it('handlers may not import messaging/, which calls them', async () => {
    const code = "export { createMessageRouter } from '../../messaging/message-router';\n";
    expect(await ruleIds(code, at('src/background/handlers', 'example.ts'))).toContain('local/import-boundaries');
  });

  it("a capability's test may drive it through the router", async () => {
    const code = `import { handle } from '../../handlers/${scratch}/handle';\nexport const h = handle;\n`;
    expect(await ruleIds(code, at('src/background/accounts', 'example.test.ts'))).toEqual([]);
  });
});

describe('the type-aware rules', () => {
  const later = 'const later = async () => 1;\n';
  it.each([
    ['a promise left floating', `${later}export function run() { later(); }\n`, '@typescript-eslint/no-floating-promises'],
    ['a promise as a condition', `${later}export function run() { return later() ? 1 : 0; }\n`, '@typescript-eslint/no-misused-promises'],
    ['an async function where a void one is expected', `${later}export const runAll = (ids: number[]) => ids.forEach(async () => { await later(); });\n`, '@typescript-eslint/no-misused-promises'],
    ['a switch that misses a case', "export function f(k: 'a' | 'b') {\n  switch (k) {\n    case 'a':\n      return 1;\n  }\n  return 0;\n}\n", '@typescript-eslint/switch-exhaustiveness-check'],
    ['a type imported as a value', `import { Shape } from './shape';\nexport const area = (s: Shape) => s.side ** 2;\n`, '@typescript-eslint/consistent-type-imports'],
    ["a type written as import('…')", "export const area = (s: import('./shape').Shape) => s.side ** 2;\n", '@typescript-eslint/consistent-type-imports'],
  ])('%s is an error', async (_, code, rule) => {
    expect(await ruleIds(code, at('src/shared', 'example.ts'))).toContain(rule);
  });

  it.each([
    ['a promise let go on purpose, or awaited', `${later}export async function run() { void later(); await later(); }\n`],
    ['an awaited condition', `${later}export async function run() { return (await later()) ? 1 : 0; }\n`],
    ['a switch with every case, or a default', "export function f(k: 'a' | 'b') {\n  switch (k) {\n    case 'a':\n      return 1;\n    case 'b':\n      return 2;\n  }\n}\nexport function g(k: 'a' | 'b') {\n  switch (k) {\n    case 'a':\n      return 1;\n    default:\n      return 0;\n  }\n}\n"],
    ['a type imported as a type', `import type { Shape } from './shape';\nexport const area = (s: Shape) => s.side ** 2;\n`],
  ])('%s passes', async (_, code) => {
    expect(await ruleIds(code, at('src/shared', 'example.ts'))).toEqual([]);
  });

  it('cover the tests under test/ as well', async () => {
    expect(await ruleIds(`${later}export function run() { later(); }\n`, at('test/unit', 'example.ts'))).toContain('@typescript-eslint/no-floating-promises');
  });
});
