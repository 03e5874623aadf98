// The lint rules that keep code-from-strings and HTML injection out of what ships (eslint.config.js), checked against
// the real configuration: each forbidden construct in a file under src/ is an error, and plain Preact code is not.
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: process.cwd() });
});

async function ruleIds(code: string, filePath = 'src/popup/Example.tsx'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => m.ruleId ?? m.message);
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
    expect(await ruleIds("export const run = (s: string) => { document.body.innerHTML = s; };", 'src/content/example.ts')).toContain('no-restricted-syntax');
    expect(await ruleIds("export const run = (s: string) => eval(s);", 'src/background/example.ts')).toContain('no-eval');
  });
});
