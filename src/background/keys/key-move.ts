// Turning the passphrase lock on or off moves every account to another sealing key. A
// non-extractable key cannot be wrapped, so turning it on generates K (extractable) and re-seals
// each account's key; turning it off generates a new non-extractable key and re-seals again. The
// move is resumable:
//   1. the target key and a 'migration' marker are written beside the old key (one IndexedDB
//      transaction), K's bytes put in storage.session first;
//   2. each account is re-sealed, one storage.local write per account (accounts.resealAll);
//      meanwhile every key opens with either sealing key and new seals use the target;
//   3. the old key and the marker are removed (one transaction).
// A background stopped anywhere in between finds the marker when it starts (or on the next unlock,
// if the browser closed and K left memory) and finishes the move: re-sealing is idempotent, so
// running step 2 again is harmless. It can never stay half-moved.
// Step 1 is the lock's (passphrase-lock.ts); this finishes steps 2 and 3.
import type { CachedVault } from './cached-vault';

/**
 * Finishes a move under way, if there is one and K is at hand (`unlockedBytes`, null when locked):
 * re-seals every account (`reseal`), then removes the old key and the marker; a move to no
 * passphrase also closes the lock (`forget`), as K is no longer needed. One at a time: start-up and
 * an unlock may both ask.
 */
export function createKeyMove(
  read: CachedVault['read'],
  write: CachedVault['write'],
  unlockedBytes: () => Promise<Uint8Array | null>,
  reseal: () => Promise<void>,
  forget: () => Promise<void>,
): () => Promise<void> {
  let finishing: Promise<void> | null = null;
  return () => {
    finishing ??= (async () => {
      const records = await read();
      if (!records.migration || (await unlockedBytes()) === null) return;
      await reseal();
      if (records.migration === 'to-passphrase') {
        await write({}, ['sealing-key', 'migration']);
      } else {
        await write({}, ['wrapped-key', 'migration', 'unlock-failures']);
        await forget();
      }
    })().finally(() => {
      finishing = null;
    });
    return finishing;
  };
}
