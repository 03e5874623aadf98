import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { budgetName, overBudget, recordSizes, shippedSizes, type SizeBudget } from './size-budget';

const budget: SizeBudget = {
  popup: { budget: 1000, files: { 'assets/popup.html.js': 600, 'assets/i18n.css': 200, 'src/popup/popup.html': 100 } },
  background: { budget: 500, files: { 'assets/background.ts.js': 400 } },
  'content script': { budget: 300, files: { 'content-script.js': 250 } },
};

describe('size budget', () => {
  it('names files without the content hash vite gives assets', () => {
    expect(budgetName('assets/popup.html-BgBXF08G.js')).toBe('assets/popup.html.js');
    expect(budgetName('assets/i18n-B_jNCLOR.css')).toBe('assets/i18n.css');
    expect(budgetName('assets/browser-polyfill-tNqe1I4o.js')).toBe('assets/browser-polyfill.js');
    expect(budgetName('service-worker-loader.js')).toBe('service-worker-loader.js');
    expect(budgetName('src/popup/popup.html')).toBe('src/popup/popup.html');
  });

  it('passes a context within its budget, even when a file grew', () => {
    expect(overBudget('popup', budget.popup, { 'assets/popup.html.js': 700, 'assets/i18n.css': 200, 'src/popup/popup.html': 100 })).toBeNull();
  });

  it('names the files that grew and the new ones, most grown first, when a context is over budget', () => {
    const message = overBudget('popup', budget.popup, { 'assets/popup.html.js': 650, 'assets/i18n.css': 190, 'src/popup/popup.html': 100, 'assets/settings.js': 300 });
    expect(message).toBe(
      [
        'popup: 1240 B gzip, over its budget of 1000 B by 240 B.',
        '  assets/settings.js is new (300 B)',
        '  assets/popup.html.js grew from 600 to 650 B',
      ].join('\n'),
    );
  });

  it('says so when nothing grew and the budget was lowered, and lists files no longer loaded', () => {
    const message = overBudget('background', { budget: 300, files: { 'assets/background.ts.js': 400, 'assets/gone.js': 10 } }, { 'assets/background.ts.js': 400 });
    expect(message).toContain('No file is larger than recorded');
    expect(message).toContain('No longer loaded: assets/gone.js.');
  });

  it('records the sizes of today, keeping the budgets', () => {
    const measured = { popup: { 'assets/popup.html.js': 500, 'assets/a.js': 100 }, background: { 'assets/background.ts.js': 450 }, 'content script': { 'content-script.js': 260 } };
    expect(recordSizes(budget, measured)).toEqual({
      popup: { budget: 1000, files: { 'assets/a.js': 100, 'assets/popup.html.js': 500 } },
      background: { budget: 500, files: { 'assets/background.ts.js': 450 } },
      'content script': { budget: 300, files: { 'content-script.js': 260 } },
    });
  });

  it('refuses to record over a budget: a budget is raised by hand', () => {
    const measured = { popup: budget.popup.files, background: { 'assets/background.ts.js': 501 }, 'content script': budget['content script'].files };
    expect(() => recordSizes(budget, measured)).toThrow(/Not recorded: over budget[\s\S]*background: 501 B gzip/);
  });

  it('fails clearly when there is no build to measure', () => {
    const empty = mkdtempSync(join(tmpdir(), 'keyring-size-'));
    try {
      expect(() => shippedSizes(empty)).toThrow(`no product build in ${empty}: run \`npm run build\` first`);
    } finally {
      rmSync(empty, { recursive: true });
    }
  });
});
