// Wrong passphrases: after 5 in a row each attempt waits longer (30 s, doubling, at most an hour).
// The count is kept in IndexedDB, which neither a restarted background nor a restarted browser
// forgets, nor a content script can reach.
import { unwrapKeyBytes } from './passphrase-key';
import type { CachedVault } from './cached-vault';
import type { VaultRecords } from './sealing-key';

export const FREE_ATTEMPTS = 5;

export type Verdict = { ok: true } | { ok: false; code: 'WRONG_PASSPHRASE' } | { ok: false; code: 'PASSPHRASE_THROTTLED'; retryAt: number };

/** How long to wait after `failures` wrong passphrases in a row. */
export function unlockDelayMs(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(30_000 * 2 ** (failures - FREE_ATTEMPTS), 60 * 60_000);
}

/** Checks a passphrase against the wrapped key, counting failures; K's bytes when right. */
export async function verifyPassphrase(
  read: CachedVault['read'],
  write: CachedVault['write'],
  wrapped: VaultRecords['wrapped-key'],
  passphrase: string,
  now: () => number,
): Promise<Verdict & { raw?: Uint8Array<ArrayBuffer> }> {
  const failures = (await read())['unlock-failures'] ?? { count: 0, retryAt: 0 };
  if (failures.retryAt > now()) return { ok: false, code: 'PASSPHRASE_THROTTLED', retryAt: failures.retryAt };
  const raw = await unwrapKeyBytes(wrapped, passphrase);
  if (raw === null) {
    const count = failures.count + 1;
    const delay = unlockDelayMs(count);
    await write({ 'unlock-failures': { count, retryAt: delay === 0 ? 0 : now() + delay } });
    return delay === 0 ? { ok: false, code: 'WRONG_PASSPHRASE' } : { ok: false, code: 'PASSPHRASE_THROTTLED', retryAt: now() + delay };
  }
  if (failures.count > 0) await write({}, ['unlock-failures']);
  return { ok: true, raw };
}
