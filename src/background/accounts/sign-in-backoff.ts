// Zulip refuses every sign-in for a username for a while after too many attempts, and says until
// when (429 with retry-after). The background remembers that time per realm and username and
// refuses locally until then, so that neither a reopened popup nor a restarted worker sends an
// attempt the server would refuse (and count). Per username, as Zulip counts: its bucket is the
// username string exactly as sent, so one person's failures (or a stranger's guesses) must not
// lock anyone else out. Kept in storage.session: it outlives the popup and the worker, not the
// browser. Only an origin, a username and a time are kept, nothing secret.
import type { StorageAreaLike } from '../../shared/storage-area';

const KEY_PREFIX = 'signInRetryAt:';

/** JSON keeps the pair apart whatever either holds (a username may contain ':' or '@'). */
export const signInBackoffKey = (origin: string, username: string) => KEY_PREFIX + JSON.stringify([origin, username]);

export interface SignInBackoff {
  /** When the realm accepts the next attempt for this username (epoch ms), or null if it does now. */
  retryAt(origin: string, username: string): Promise<number | null>;
  remember(origin: string, username: string, retryAt: number): Promise<void>;
  /** A successful sign-in empties Zulip's bucket for the username; so does this. */
  forget(origin: string, username: string): Promise<void>;
}

export function createSignInBackoff(area: StorageAreaLike, now: () => number): SignInBackoff {
  // The server enforces its limit anyway; a storage failure must not lock anyone out, so it
  // costs at most one attempt the server refuses.
  return {
    async retryAt(origin, username) {
      const key = signInBackoffKey(origin, username);
      try {
        const stored = (await area.get(key))[key];
        if (typeof stored !== 'number' || !Number.isFinite(stored)) return null;
        if (stored > now()) return stored;
        await area.remove(key);
      } catch {
        // See above.
      }
      return null;
    },
    async remember(origin, username, retryAt) {
      try {
        await area.set({ [signInBackoffKey(origin, username)]: retryAt });
      } catch {
        // See above.
      }
    },
    async forget(origin, username) {
      try {
        await area.remove(signInBackoffKey(origin, username));
      } catch {
        // See above.
      }
    },
  };
}
