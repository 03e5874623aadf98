// The repository must work when cloned with nothing beside it: no file may read, or send a reader
// to, a path outside the clone (our research notes once lived in a folder next to it).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const trackedFiles = execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' })
  .split('\0')
  .filter((file) => file !== '' && !file.endsWith('.png') && file !== 'package-lock.json');

// Built from parts so that this file does not match itself: the names of our old research notes, and
// the absolute folder of the machines they lived on.
const notes = ['zulip-auth-api', 'zulip-fixtures', 'browser-testing', 'sso-in-extensions'].map((name) => `shared/${name}`);
const absolute = ['/work', '/'].join('');

// Files whose `../` paths are inside something else than this clone.
const VIRTUAL_PATHS: Record<string, string> = {
  'bench/sizes.test.ts': 'resolves paths between files of a built extension',
};

/** Relative paths in the text (`../x`, `../../x`) that climb out of the clone from where the file is. */
function pathsLeavingTheClone(file: string, text: string): string[] {
  const here = path.dirname(path.join(repoRoot, file));
  return [...text.matchAll(/(?:\.\.\/)+[\w.-]+/g)]
    .map((match) => match[0])
    .filter((relative) => path.relative(repoRoot, path.resolve(here, relative)).startsWith('..'));
}

describe('the repository stands on its own', () => {
  it('lists the files it checks', () => {
    expect(trackedFiles).toContain('README.md');
    expect(trackedFiles.length).toBeGreaterThan(100);
  });

  it('no tracked file names a folder outside the clone', () => {
    const offenders = trackedFiles.flatMap((file) => {
      const text = readFileSync(`${repoRoot}${file}`, 'utf8');
      const named = [...notes, absolute].filter((needle) => text.includes(needle));
      const climbing = file in VIRTUAL_PATHS ? [] : pathsLeavingTheClone(file, text);
      return [...named, ...climbing].map((found) => `${file}: ${found}`);
    });
    expect(offenders).toEqual([]);
  });
});
