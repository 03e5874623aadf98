// What the import rules know about modules: which modules a file names, and which file a relative specifier
// means. The project imports its own modules only by relative specifiers (bundler resolution: extension optional).
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';

const candidates = (base) => [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`];

const isFile = (path) => statSync(path, { throwIfNoEntry: false })?.isFile() === true;

/** The file a relative specifier names, or null for a package or a file that does not exist. */
export function resolveImport(fromFile, specifier) {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return null;
  const base = resolve(dirname(fromFile), specifier);
  return candidates(base).find(isFile) ?? null;
}

/**
 * Every module a source text names: imports and re-exports, type-only ones, `import()` calls and `import('…')`
 * types. TypeScript's own pre-processor reads them, so comments and strings are never mistaken for imports.
 */
export function specifiersIn(text) {
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => ({ specifier: file.fileName, start: file.pos, end: file.end }));
}

// A file's imports as last read, kept while its size and modification time stay the same: ESLint asks about the
// same files once per linted file.
const cache = new Map();

/** The files a module on disk imports (resolved, relative imports only). */
export function importsOnDisk(file) {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) return [];
  const cached = cache.get(file);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.imports;
  const imports = [...new Set(specifiersIn(readFileSync(file, 'utf8')).map(({ specifier }) => resolveImport(file, specifier)).filter(Boolean))];
  cache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, imports });
  return imports;
}
