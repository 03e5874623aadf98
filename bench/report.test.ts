import { describe, expect, it } from 'vitest';
import { cells, COLUMNS, toJson, toMarkdown, toText, verdict, type Row } from './report';

const roundTrip: Row = {
  measure: 'round trip',
  browser: 'chromium',
  ours: { median: 1.5, p95: 3, n: 1000 },
  floor: { median: 1, p95: 2, n: 1000 },
  target: { kind: 'ratio', max: 1.3 },
};
const size: Row = {
  measure: 'size',
  browser: 'both',
  ours: { median: 4000, p95: 4000, n: 1 },
  floor: null,
  target: { kind: 'gzip-bytes', max: 5000 },
  rawBytes: 10_600,
};
const missing: Row = { measure: 'cold start', browser: 'firefox', ours: null, floor: null, target: { kind: 'ratio', max: 1.2 }, note: 'worker did not stop' };

describe('bench report', () => {
  it('judges a ratio target on the medians', () => {
    expect(verdict(roundTrip)).toEqual({ ratio: 1.5, met: false });
    expect(verdict({ ...roundTrip, target: { kind: 'ratio', max: 1.5 } })).toEqual({ ratio: 1.5, met: true });
  });

  it('judges absolute targets on our median alone', () => {
    expect(verdict(size).met).toBe(true);
    expect(verdict({ ...size, ours: { median: 5001, p95: 5001, n: 1 } }).met).toBe(false);
    expect(verdict({ ...roundTrip, target: { kind: 'ms', max: 1 } }).met).toBe(false);
  });

  it('says "not measured" with the reason, and judges nothing, when there is no figure', () => {
    expect(verdict(missing)).toEqual({ ratio: null, met: null });
    expect(cells(missing)).toEqual(['cold start', 'firefox', 'not measured', '', '', '', '', '≤ 1.2×', 'worker did not stop']);
  });

  it('shows times in ms, sizes in kB gzip beside raw, and the verdict', () => {
    expect(cells(roundTrip)).toEqual(['round trip', 'chromium', '1.50 ms', '3.00 ms', '1.00 ms', '2.00 ms', '1.50×', '≤ 1.3×', 'missed']);
    expect(cells(size)).toEqual(['size', 'both', '4.0 kB gzip (10.6 kB raw)', '–', '–', '–', '–', '≤ 5.0 kB gzip', 'met']);
  });

  it('shows a size without a target (for context) in kB too', () => {
    expect(cells({ ...size, target: { kind: 'none' }, note: 'a.js 1.0 kB' })).toEqual(['size', 'both', '4.0 kB gzip (10.6 kB raw)', '–', '–', '–', '–', '–', '– (a.js 1.0 kB)']);
  });

  it('writes a Markdown table with one line per row and escapes pipes', () => {
    const lines = toMarkdown([roundTrip, { ...missing, note: 'a | b' }]).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(`| ${COLUMNS.join(' | ')} |`);
    expect(lines[3]).toContain('a \\| b');
  });

  it('aligns the console table in columns', () => {
    const lines = toText([roundTrip, size]).split('\n');
    const at = (line: string) => line.indexOf('chromium') >= 0 ? line.indexOf('chromium') : line.indexOf('both');
    expect(at(lines[2]!)).toBe(at(lines[3]!));
    expect(lines[1]).toMatch(/^-+( +-+)+$/);
  });

  it('writes JSON with each row’s ratio and verdict', () => {
    const parsed = JSON.parse(toJson([roundTrip], { date: 'd', node: 'v20', cpus: 2 })) as { rows: Array<{ ratio: number; met: boolean }> };
    expect(parsed.rows[0]).toMatchObject({ measure: 'round trip', ratio: 1.5, met: false });
  });
});
