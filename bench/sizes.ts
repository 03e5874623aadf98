// Shipped size per context: every file a context loads (its entry and, transitively, every chunk it imports, plus
// the popup's stylesheet), raw and gzip. A chunk shared by two contexts counts in each: each loads it.
import { gzipSync } from 'node:zlib';

export interface ContextSize {
  files: string[];
  raw: number;
  gzip: number;
}

/** Relative module specifiers a bundled chunk imports (static, side-effect, re-export and dynamic). */
export function importedSpecifiers(code: string): string[] {
  const found = new Set<string>();
  for (const m of code.matchAll(/(?:\bimport|\bfrom)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) found.add(m[1]!);
  return [...found];
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

/** Every file reached from `entries`, in the order first reached. */
export function filesOfContext(entries: string[], read: (path: string) => string): string[] {
  const seen: string[] = [];
  const visit = (path: string) => {
    if (seen.includes(path)) return;
    seen.push(path);
    if (!path.endsWith('.js')) return;
    for (const spec of importedSpecifiers(read(path))) visit(resolvePath(path, spec));
  };
  entries.forEach(visit);
  return seen;
}

export function measureContext(entries: string[], read: (path: string) => string): ContextSize {
  const files = filesOfContext(entries, read);
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = Buffer.from(read(file), 'utf8');
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { files, raw, gzip };
}

interface ShippedManifest {
  action?: { default_popup?: string };
  background?: { service_worker?: string; scripts?: string[] };
}

/** The three contexts of a built extension: popup (its HTML and what it loads), background, content script. */
export function contextEntries(manifest: ShippedManifest, read: (path: string) => string, contentScript: string): Record<'popup' | 'background' | 'content script', string[]> {
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
