import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chunkImports, contextEntries, filesOfContext, htmlAssets, measureFiles, resolvePath } from './sizes';

// Shaped like the product build's minified output (rolldown through vite, modulePreload off): static imports in
// double quotes, dynamic ones in backticks wrapped in vite's preload helper, whose list names the lazy chunk's CSS.
const files: Record<string, string> = {
  'manifest.json': '{}',
  'src/popup/popup.html': '<script type="module" crossorigin src="/assets/popup.html-AbC123_x.js"></script><link rel="stylesheet" crossorigin href="/assets/i18n-B_jNCLOR.css">',
  'assets/popup.html-AbC123_x.js':
    'const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["assets/i18n-B_jNCLOR.css","assets/Settings-0pEZ2ge8.css"])))=>i.map(i=>d[i]);\n' +
    'import{a as e}from"./shared.js";import"./side.js";' +
    'var Kt=xt(()=>Gt(()=>import(`./Settings-DQk0YMU4.js`).then(e=>({default:e.Settings})),__vite__mapDeps([0,1])));' +
    'var Lk=xt(()=>Gt(()=>import(`./Lock-Zz9_zz9Z.js`),[]));e()',
  'assets/side.js': 'export const s=1',
  'assets/shared.js': 'export const a=()=>1',
  'assets/i18n-B_jNCLOR.css': 'body{}',
  'assets/Settings-DQk0YMU4.js': 'import{a as e}from"./shared.js";import{n}from"./settings-part.js";export const Settings=()=>import(`./Deeper.js`)',
  'assets/Settings-0pEZ2ge8.css': '.settings{}',
  'assets/settings-part.js': 'export const n=1',
  'assets/Deeper.js': 'export default 1',
  'assets/Lock-Zz9_zz9Z.js': 'export default 2',
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
  it('tells static imports from dynamic ones in minified output', () => {
    expect(chunkImports('import{a}from"./y.js";import"./z.js";export{b}from"../w.js";const l=()=>import(`./x.js`)')).toEqual({
      static: ['./y.js', './z.js', '../w.js'],
      dynamic: [{ specifier: './x.js', preloads: [] }],
    });
    expect(chunkImports('import x from "preact";import("https://x/y.js")')).toEqual({ static: [], dynamic: [] });
  });

  it("gives each dynamic import the files vite's preload helper loads beside it", () => {
    expect(chunkImports(read('assets/popup.html-AbC123_x.js'))).toEqual({
      static: ['./shared.js', './side.js'],
      dynamic: [
        { specifier: './Settings-DQk0YMU4.js', preloads: ['assets/i18n-B_jNCLOR.css', 'assets/Settings-0pEZ2ge8.css'] },
        { specifier: './Lock-Zz9_zz9Z.js', preloads: [] },
      ],
    });
  });

  it('resolves root-relative and relative paths', () => {
    expect(resolvePath('src/popup/popup.html', '/assets/popup.js')).toBe('assets/popup.js');
    expect(resolvePath('src/popup/popup.html', '../../assets/x.js')).toBe('assets/x.js');
    expect(resolvePath('assets/popup.js', './shared.js')).toBe('assets/shared.js');
  });

  it('lists the scripts and stylesheets a page loads', () => {
    expect(htmlAssets(read('src/popup/popup.html'), 'src/popup/popup.html')).toEqual(['assets/popup.html-AbC123_x.js', 'assets/i18n-B_jNCLOR.css']);
  });

  it("counts in the popup's first view only what it loads statically, and the rest as loaded later", () => {
    const entries = contextEntries({ action: { default_popup: 'src/popup/popup.html' }, background: { service_worker: 'service-worker-loader.js' } }, read, 'content-script.js');
    expect(filesOfContext(entries.popup, read)).toEqual({
      first: ['src/popup/popup.html', 'assets/popup.html-AbC123_x.js', 'assets/shared.js', 'assets/side.js', 'assets/i18n-B_jNCLOR.css'],
      // Its CSS with the lazy chunk, the chunk's static imports not loaded already, and what it loads lazily itself.
      later: ['assets/Settings-0pEZ2ge8.css', 'assets/Settings-DQk0YMU4.js', 'assets/settings-part.js', 'assets/Lock-Zz9_zz9Z.js', 'assets/Deeper.js'],
    });
  });

  it('counts a shared chunk in every context that loads it', () => {
    const entries = contextEntries({ action: { default_popup: 'src/popup/popup.html' }, background: { service_worker: 'service-worker-loader.js' } }, read, 'content-script.js');
    expect(filesOfContext(entries.background, read)).toEqual({ first: ['service-worker-loader.js', 'assets/background.js', 'assets/shared.js'], later: [] });
    expect(filesOfContext(entries['content script'], read)).toEqual({ first: ['content-script.js'], later: [] });
  });

  it('takes the Firefox background from background.scripts', () => {
    expect(contextEntries({ action: { default_popup: 'p.html' }, background: { scripts: ['bg.js'] } }, () => '', 'c.js').background).toEqual(['bg.js']);
  });

  it('sums raw bytes and per-file gzip sizes', () => {
    const size = measureFiles(['content-script.js', 'assets/side.js'], read);
    const gz = (text: string) => gzipSync(Buffer.from(text), { level: 9 }).length;
    expect(size.files).toEqual([
      { file: 'content-script.js', raw: files['content-script.js']!.length, gzip: gz(files['content-script.js']!) },
      { file: 'assets/side.js', raw: files['assets/side.js']!.length, gzip: gz(files['assets/side.js']!) },
    ]);
    expect(size.raw).toBe(files['content-script.js']!.length + files['assets/side.js']!.length);
    expect(size.gzip).toBe(gz(files['content-script.js']!) + gz(files['assets/side.js']!));
  });
});
