// Reading what a browser launched with LaunchOptions.downloadsDir saved.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pollUntil } from './util';

/**
 * The one file in `dir` once the browser has finished writing it (Firefox writes a .part file first, Chromium a
 * .crdownload one). Chromium names it by its download's GUID, Firefox by the name the page gave it.
 */
export function downloadedFile(dir: string): Promise<string> {
  return pollUntil(
    async () => {
      const names = readdirSync(dir);
      const [name] = names;
      if (names.length !== 1 || name === undefined || /\.(part|crdownload)$/.test(name)) return undefined;
      return readFileSync(join(dir, name), 'utf8').endsWith('\n') ? join(dir, name) : undefined;
    },
    15_000,
    `a download in ${dir}`,
  );
}
