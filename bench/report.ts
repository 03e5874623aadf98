// The bench's results as rows, and the three ways they are written: a console table, Markdown and JSON.
import { ratio, type Summary } from './stats';

export type Target =
  /** ours / floor at most `max`. */
  | { kind: 'ratio'; max: number }
  /** ours' median at most `max` milliseconds. */
  | { kind: 'ms'; max: number }
  /** ours at most `max` bytes gzip. */
  | { kind: 'gzip-bytes'; max: number }
  | { kind: 'none' };

export interface Row {
  measure: string;
  browser: string;
  /** null: not measured (see `note`). */
  ours: Summary | null;
  floor: Summary | null;
  target: Target;
  /** For sizes: the raw byte count beside the gzip one in `ours.median`. */
  rawBytes?: number;
  note?: string;
}

export interface Verdict {
  ratio: number | null;
  met: boolean | null;
}

export function verdict(row: Row): Verdict {
  const r = row.ours && row.floor ? ratio(row.ours.median, row.floor.median) : null;
  if (!row.ours) return { ratio: r, met: null };
  switch (row.target.kind) {
    case 'ratio':
      return { ratio: r, met: r === null ? null : r <= row.target.max };
    case 'ms':
    case 'gzip-bytes':
      return { ratio: r, met: row.ours.median <= row.target.max };
    case 'none':
      return { ratio: r, met: null };
  }
}

const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
export const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

function targetText(target: Target): string {
  switch (target.kind) {
    case 'ratio':
      return `≤ ${target.max}×`;
    case 'ms':
      return `≤ ${target.max} ms`;
    case 'gzip-bytes':
      return `≤ ${kB(target.max)} gzip`;
    case 'none':
      return '–';
  }
}

export const COLUMNS = ['measure', 'browser', 'ours median', 'ours p95', 'floor median', 'floor p95', 'ratio', 'target', 'result'] as const;

/** One row's cells, in COLUMNS order. */
export function cells(row: Row): string[] {
  const { ratio: r, met } = verdict(row);
  if (!row.ours) return [row.measure, row.browser, 'not measured', '', '', '', '', targetText(row.target), row.note ?? ''];
  const isSize = row.rawBytes !== undefined;
  const value = (s: Summary | null, key: 'median' | 'p95') => (s ? (isSize ? kB(s[key]) : ms(s[key])) : '–');
  const ours = isSize ? `${kB(row.ours.median)} gzip (${kB(row.rawBytes ?? 0)} raw)` : value(row.ours, 'median');
  const result = met === null ? '–' : met ? 'met' : 'missed';
  return [
    row.measure,
    row.browser,
    ours,
    isSize ? '–' : value(row.ours, 'p95'),
    value(row.floor, 'median'),
    value(row.floor, 'p95'),
    r === null ? '–' : `${r.toFixed(2)}×`,
    targetText(row.target),
    row.note ? `${result} (${row.note})` : result,
  ];
}

export function toText(rows: Row[]): string {
  const table = [COLUMNS.slice(), ...rows.map(cells)];
  const widths = COLUMNS.map((_, i) => Math.max(...table.map((line) => [...line[i]!].length)));
  const line = (values: string[]) => values.map((v, i) => v + ' '.repeat(widths[i]! - [...v].length)).join('  ').trimEnd();
  return [line(table[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...table.slice(1).map(line)].join('\n');
}

export function toMarkdown(rows: Row[]): string {
  const escape = (v: string) => v.replace(/\|/g, '\\|');
  return [
    `| ${COLUMNS.join(' | ')} |`,
    `|${COLUMNS.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${cells(row).map(escape).join(' | ')} |`),
  ].join('\n');
}

export interface Environment {
  date: string;
  chromium?: string;
  firefox?: string;
  node: string;
  cpus: number;
}

export function toJson(rows: Row[], environment: Environment): string {
  return `${JSON.stringify({ environment, rows: rows.map((row) => ({ ...row, ...verdict(row) })) }, null, 2)}\n`;
}
