// The extension's stylesheets use no CSS nesting, so a rule opened inside another one is a brace
// left out: browsers then read the rest of the file as nested rules that match nothing, and the
// styles after it (e.g. the room between an account's buttons) silently vanish.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const sourceDir = new URL('../', import.meta.url);
const stylesheets = readdirSync(sourceDir, { recursive: true, encoding: 'utf8' }).filter((path) => path.endsWith('.css'));

/** Every problem found, as "line N: what"; empty when each rule closes before the next opens. */
function unclosedRules(css: string): string[] {
  const problems: string[] = [];
  // Comments out, keeping line breaks so that line numbers stay right.
  const text = css.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '));
  const open: Array<{ atRule: boolean; line: number }> = [];
  let line = 1;
  let prelude = '';
  for (const char of text) {
    if (char === '\n') line += 1;
    if (char === '{') {
      const inRule = open.at(-1);
      if (inRule && !inRule.atRule) problems.push(`line ${line}: a rule opened inside the rule from line ${inRule.line}`);
      open.push({ atRule: prelude.trim().startsWith('@'), line });
      prelude = '';
    } else if (char === '}') {
      if (open.pop() === undefined) problems.push(`line ${line}: a brace closes nothing`);
      prelude = '';
    } else if (char === ';') {
      prelude = '';
    } else {
      prelude += char;
    }
  }
  for (const rule of open) problems.push(`line ${rule.line}: never closed`);
  return problems;
}

describe('stylesheets', () => {
  it('finds the popup stylesheet among them', () => {
    expect(stylesheets).toContain('popup/popup.css');
  });

  it.each(stylesheets)('%s closes each rule before the next one opens', (path) => {
    expect(unclosedRules(readFileSync(new URL(path, sourceDir), 'utf8'))).toEqual([]);
  });

  it('the check itself notices a rule left open', () => {
    expect(unclosedRules('.a {\n  color: red;\n.b {\n  gap: 8px;\n}\n')).toEqual(['line 3: a rule opened inside the rule from line 1', 'line 1: never closed']);
    expect(unclosedRules('@media (x) {\n  .a { color: red; }\n}\n')).toEqual([]);
  });
});
