// storage.local as the account store reads it, with what was read kept in the background's memory:
// a credentials.get then costs no storage round trip. What is kept is what storage holds (sealed
// keys, never opened ones). Other contexts (extension pages, content scripts) can write
// storage.local too, so every key its onChanged names is forgotten, and a read that overlapped any
// change is returned but not kept: it may predate the change.
// A kept value is handed out as it is, frozen, rather than copied for each read: a copy per request
// was most of the cost of answering from memory. Until its item changes, every read of it returns
// the same object, which lets the account store keep what it parsed from it (account-store.ts).
import type { StorageAreaLike } from '../../shared/storage-area';
import { deepFreeze } from './deep-freeze';
import type { StorageChangedEvent } from '../ports';

export function createCachedStorageArea(area: StorageAreaLike, onChanged: StorageChangedEvent): StorageAreaLike {
  /** Per key, its value as stored; undefined when storage had none. */
  const kept = new Map<string, unknown>();
  /** Counts changes, so that a read can tell whether one happened while it was under way. */
  let changes = 0;
  /** Whether `kept` holds every item stored: a read of everything (the popup's list) then needs no storage either. */
  let everything = false;

  const forget = (keys: string | string[]) => {
    changes++;
    everything = false;
    for (const key of typeof keys === 'string' ? [keys] : keys) kept.delete(key);
  };
  onChanged.addListener((changed) => forget(Object.keys(changed)));

  /** Our own writes: forgotten before (a read under way must not be kept) and after (nor one started meanwhile). */
  async function writing(keys: string | string[], write: () => Promise<void>): Promise<void> {
    forget(keys);
    try {
      await write();
    } finally {
      forget(keys);
    }
  }

  /** Keeps a value read from storage; false for one that cannot be frozen, which is then read again each time. */
  function keep(key: string, value: unknown): boolean {
    try {
      kept.set(key, deepFreeze(value));
      return true;
    } catch {
      return false;
    }
  }

  return {
    async get(keys) {
      if (typeof keys === 'string' && kept.has(keys)) {
        const value = kept.get(keys);
        return value === undefined ? {} : { [keys]: value };
      }
      if ((keys === null || keys === undefined) && everything) {
        const all: Record<string, unknown> = {};
        for (const [key, value] of kept) if (value !== undefined) all[key] = value;
        return all;
      }
      const before = changes;
      const read = await area.get(keys);
      if (changes === before) {
        if (typeof keys === 'string') keep(keys, read[keys]);
        // Everything stored: each item is known, those absent are not (they would be unknown keys, not absent ones).
        if (keys === null || keys === undefined) {
          let all = true;
          for (const [key, value] of Object.entries(read)) all = keep(key, value) && all;
          everything = all;
        }
      }
      return read;
    },
    set: (items) => writing(Object.keys(items), () => area.set(items)),
    remove: (keys) => writing(keys, () => area.remove(keys)),
  };
}
