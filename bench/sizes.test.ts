import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { contextEntries, filesOfContext, htmlAssets, importedSpecifiers, measureContext, resolvePath } from './sizes';

const files: Record<string, string> = {
  'manifest.json': '{}',
  'src/popup/popup.html': '<script type="module" crossorigin src="/assets/popup.js"></script><link rel="stylesheet" crossorigin href="/assets/popup.css">',
  'assets/popup.js': 'import{a as e}from"./shared.js";import"./side.js";e()',
  'assets/side.js': 'export const s=1',
  'assets/shared.js': 'export const a=()=>import("./lazy.js")',
  'assets/lazy.js': 'export default 1',
  'assets/popup.css': 'body{}',
  'service-worker-loader.js': "import './assets/background.js';",
  'assets/background.js': 'import{a}from"./shared.js";a()',
  'content-script.js': '(function(){})()',
};
const read = (path: string) => {
  const text = files[path];
  if (text === undefined) throw new Error(`no file ${path}`);
  return text;
};

describe('shipped size per context', () => {
  it('finds static, side-effect and dynamic relative imports in a bundled chunk', () => {
    expect(importedSpecifiers(read('assets/popup.js'))).toEqual(['./shared.js', './side.js']);
    expect(importedSpecifiers(read('assets/shared.js'))).toEqual(['./lazy.js']);
    expect(importedSpecifiers('import x from "preact"')).toEqual([]);
  });

  it('resolves root-relative and relative paths', () => {
    expect(resolvePath('src/popup/popup.html', '/assets/popup.js')).toBe('assets/popup.js');
    expect(resolvePath('src/popup/popup.html', '../../assets/x.js')).toBe('assets/x.js');
    expect(resolvePath('assets/popup.js', './shared.js')).toBe('assets/shared.js');
  });

  it('lists the scripts and stylesheets a page loads', () => {
    expect(htmlAssets(read('src/popup/popup.html'), 'src/popup/popup.html')).toEqual(['assets/popup.js', 'assets/popup.css']);
  });

  it('counts a shared chunk in every context that loads it, once per context', () => {
    const entries = contextEntries({ action: { default_popup: 'src/popup/popup.html' }, background: { service_worker: 'service-worker-loader.js' } }, read, 'content-script.js');
    expect(filesOfContext(entries.popup, read)).toEqual([
      'src/popup/popup.html',
      'assets/popup.js',
      'assets/shared.js',
      'assets/lazy.js',
      'assets/side.js',
      'assets/popup.css',
    ]);
    expect(filesOfContext(entries.background, read)).toEqual(['service-worker-loader.js', 'assets/background.js', 'assets/shared.js', 'assets/lazy.js']);
    expect(filesOfContext(entries['content script'], read)).toEqual(['content-script.js']);
  });

  it('takes the Firefox background from background.scripts', () => {
    expect(contextEntries({ action: { default_popup: 'p.html' }, background: { scripts: ['bg.js'] } }, () => '', 'c.js').background).toEqual(['bg.js']);
  });

  it('sums raw bytes and per-file gzip sizes', () => {
    const size = measureContext(['content-script.js', 'assets/side.js'], read);
    const gz = (text: string) => gzipSync(Buffer.from(text), { level: 9 }).length;
    expect(size.raw).toBe(files['content-script.js']!.length + files['assets/side.js']!.length);
    expect(size.gzip).toBe(gz(files['content-script.js']!) + gz(files['assets/side.js']!));
  });
});
