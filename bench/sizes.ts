// Shipped size per context, raw and gzip. What a context loads before it runs is its entry and, transitively, every
// chunk it imports statically (plus the popup's stylesheets); what it loads later is every chunk it imports
// dynamically (a popup view loaded when opened), with the files vite's preload helper loads beside it (the lazy
// chunk's CSS) and their own static imports. A chunk shared by two contexts counts in each: each loads it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface FileSize {
  file: string;
  raw: number;
  gzip: number;
}

export interface ContextSize {
  files: FileSize[];
  raw: number;
  gzip: number;
}

export interface DynamicImport {
  /** Relative to the chunk, as written in it. */
  specifier: string;
  /** Root-relative: what vite's preload helper loads before the chunk runs (its CSS). */
  preloads: string[];
}

export interface ChunkImports {
  static: string[];
  dynamic: DynamicImport[];
}

const STRING = /["'`]([^"'`]+)["'`]/g;

/**
 * Relative module specifiers a bundled chunk imports. Static: `import{a}from"./y.js"`, `import"./y.js"`,
 * `export{a}from"./y.js"`. Dynamic: import(`./x.js`), which vite wraps as
 * `preload(()=>import(`./x.js`),__vite__mapDeps([0,1]))`, the indices pointing into the chunk's
 * `__vite__mapDeps` list of root-relative files.
 */
export function chunkImports(code: string): ChunkImports {
  const statics = new Set<string>();
  for (const m of code.matchAll(/(?:\bimport|\bfrom)\s*["'`](\.{1,2}\/[^"'`]+)["'`]/g)) statics.add(m[1]!);
  const depsList = /__vite__mapDeps=.*?m\.f=\[([^\]]*)\]/.exec(code)?.[1] ?? '';
  const deps = [...depsList.matchAll(STRING)].map((m) => m[1]!);
  const sites = [...code.matchAll(/\bimport\(\s*["'`](\.{1,2}\/[^"'`]+)["'`]\s*\)/g)];
  const dynamic = sites.map((site, i) => {
    // The deps of an import() follow it, before the next import().
    const until = sites[i + 1]?.index ?? code.length;
    const indices = /__vite__mapDeps\(\[([\d,\s]*)\]\)/.exec(code.slice(site.index, until))?.[1] ?? '';
    const preloads = indices
      .split(',')
      .filter((index) => index.trim() !== '')
      .map((index) => deps[Number(index)])
      .filter((file): file is string => file !== undefined);
    return { specifier: site[1]!, preloads: preloads.map((file) => resolvePath('', `/${file}`)) };
  });
  return { static: [...statics], dynamic };
}

/** Scripts and stylesheets an HTML page loads, as root-relative paths. */
export function htmlAssets(html: string, htmlPath: string): string[] {
  const refs = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+)"/g)].map((m) => m[1]!);
  return refs.map((ref) => resolvePath(htmlPath, ref));
}

/** `ref` as seen from the file at `from`, both relative to the extension root ("/x" is root-relative). */
export function resolvePath(from: string, ref: string): string {
  const parts = ref.startsWith('/') ? [] : from.split('/').slice(0, -1);
  for (const part of ref.replace(/^\//, '').split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.join('/');
}

export interface ContextFiles {
  /** Loaded before the context runs, in the order first reached. */
  first: string[];
  /** Loaded later, by dynamic imports, in the order first reached; none of `first`. */
  later: string[];
}

/** The files reached from `entries`: statically first, then through dynamic imports. */
export function filesOfContext(entries: string[], read: (path: string) => string): ContextFiles {
  const first: string[] = [];
  const later: string[] = [];
  const known = (path: string) => first.includes(path) || later.includes(path);
  const visitStatic = (path: string, into: string[]) => {
    if (known(path)) return;
    into.push(path);
    if (!path.endsWith('.js')) return;
    for (const spec of chunkImports(read(path)).static) visitStatic(resolvePath(path, spec), into);
  };
  entries.forEach((entry) => visitStatic(entry, first));
  const visitDynamic = (path: string) => {
    if (!path.endsWith('.js')) return;
    for (const { specifier, preloads } of chunkImports(read(path)).dynamic) {
      [...preloads, resolvePath(path, specifier)].forEach((file) => visitStatic(file, later));
    }
  };
  first.forEach(visitDynamic);
  // `later` grows while it is walked: a lazy chunk's own dynamic imports load later too.
  for (let i = 0; i < later.length; i++) visitDynamic(later[i]!);
  return { first, later };
}

export function measureFiles(files: string[], read: (path: string) => string): ContextSize {
  const sizes = files.map((file) => {
    const bytes = Buffer.from(read(file), 'utf8');
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  return { files: sizes, raw: sizes.reduce((sum, f) => sum + f.raw, 0), gzip: sizes.reduce((sum, f) => sum + f.gzip, 0) };
}

interface ShippedManifest {
  action?: { default_popup?: string };
  background?: { service_worker?: string; scripts?: string[] };
}

export const CONTEXTS = ['popup', 'background', 'content script'] as const;
export type Context = (typeof CONTEXTS)[number];

/** The three contexts of a built extension: popup (its HTML and what it loads), background, content script. */
export function contextEntries(manifest: ShippedManifest, read: (path: string) => string, contentScript: string): Record<Context, string[]> {
  const popupHtml = manifest.action?.default_popup?.replace(/^\//, '');
  if (!popupHtml) throw new Error('the manifest has no popup');
  const background = manifest.background?.service_worker ?? manifest.background?.scripts?.[0];
  if (!background) throw new Error('the manifest has no background');
  return {
    popup: [popupHtml, ...htmlAssets(read(popupHtml), popupHtml)],
    background: [background.replace(/^\//, '')],
    'content script': [contentScript],
  };
}

/** The files of each context of the built extension in `dir` (its content script built on its own, under this name). */
export function builtContexts(dir: string, contentScript = 'content-script.js') {
  if (!existsSync(join(dir, 'manifest.json'))) throw new Error(`no product build in ${dir}: run \`npm run build\` first`);
  const read = (path: string) => readFileSync(join(dir, path), 'utf8');
  const entries = contextEntries(JSON.parse(read('manifest.json')), read, contentScript);
  const files = Object.fromEntries(CONTEXTS.map((context) => [context, filesOfContext(entries[context], read)])) as Record<Context, ContextFiles>;
  return { read, files };
}
