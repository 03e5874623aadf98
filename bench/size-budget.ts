// The size budget `npm test` holds the product build to (bench/size-budget.json): per context, a ceiling in gzip
// bytes for what it loads before it runs (chosen by hand), and the gzip size of each of those files when the sizes
// were last recorded (`npm run size:record`), so that a context over its budget is told with the files that grew.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtContexts, CONTEXTS, measureFiles, type Context } from './sizes.ts';

export const BUDGET_FILE = join(import.meta.dirname, 'size-budget.json');
/** The JS is the same in both browsers' builds (see scripts/build-target.ts). */
export const PRODUCT_DIR = join(import.meta.dirname, '..', 'dist', 'chrome');

/** Per file, gzip bytes, keyed by budgetName(). */
export type FileSizes = Record<string, number>;

export interface ContextBudget {
  /** gzip bytes; only ever changed by hand. */
  budget: number;
  files: FileSizes;
}
export type SizeBudget = Record<Context, ContextBudget>;

/** A file's name without the content hash vite gives assets (assets/popup.html-BgBXF08G.js → assets/popup.html.js). */
export function budgetName(path: string): string {
  return path.startsWith('assets/') ? path.replace(/-[\w-]{8}(\.\w+)$/, '$1') : path;
}

/**
 * What each context of the built extension in `dir` loads before it runs, per file. Two files of one name (their
 * hashes stripped) add up under it.
 */
export function shippedSizes(dir: string): Record<Context, FileSizes> {
  const { read, files: contexts } = builtContexts(dir);
  const sizes = {} as Record<Context, FileSizes>;
  for (const context of CONTEXTS) {
    const files: FileSizes = {};
    for (const { file, gzip } of measureFiles(contexts[context].first, read).files) {
      files[budgetName(file)] = (files[budgetName(file)] ?? 0) + gzip;
    }
    sizes[context] = files;
  }
  return sizes;
}

export const total = (files: FileSizes) => Object.values(files).reduce((sum, size) => sum + size, 0);

/** Why `context` is over its budget, naming the files larger than recorded and the new ones (most grown first); null when within. */
export function overBudget(context: Context, budget: ContextBudget, measured: FileSizes): string | null {
  const size = total(measured);
  if (size <= budget.budget) return null;
  const growth = ([file, gzip]: [string, number]) => gzip - (budget.files[file] ?? 0);
  const grown = Object.entries(measured)
    .filter((entry) => growth(entry) > 0)
    .sort((a, b) => growth(b) - growth(a))
    .map(([file, gzip]) => (file in budget.files ? `${file} grew from ${budget.files[file]} to ${gzip} B` : `${file} is new (${gzip} B)`));
  const gone = Object.keys(budget.files).filter((file) => !(file in measured));
  return [
    `${context}: ${size} B gzip, over its budget of ${budget.budget} B by ${size - budget.budget} B.`,
    ...(grown.length ? grown : ['No file is larger than recorded: the budget was lowered below the recorded sizes.']),
    ...(gone.length ? [`No longer loaded: ${gone.join(', ')}.`] : []),
  ].join('\n  ');
}

/**
 * The budget with today's file sizes recorded and its ceilings as they were. Refuses (throws) when a context is over
 * its budget: raising a budget is a decision made by editing the number by hand, never a side effect of recording.
 */
export function recordSizes(budget: SizeBudget, measured: Record<Context, FileSizes>): SizeBudget {
  const over = CONTEXTS.map((context) => overBudget(context, budget[context], measured[context])).filter((message) => message !== null);
  if (over.length) throw new Error(`Not recorded: over budget. Make it smaller, or raise the budget in bench/size-budget.json by hand.\n${over.join('\n')}`);
  const recorded = {} as SizeBudget;
  for (const context of CONTEXTS) {
    recorded[context] = { budget: budget[context].budget, files: Object.fromEntries(Object.entries(measured[context]).sort(([a], [b]) => a.localeCompare(b))) };
  }
  return recorded;
}

export function readBudget(): SizeBudget {
  return JSON.parse(readFileSync(BUDGET_FILE, 'utf8')) as SizeBudget;
}
