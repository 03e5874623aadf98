// Zulip refuses every sign-in for a username for a while after too many attempts, and says until
// when (429 with retry-after). The background remembers that time per realm and refuses locally
// until then, so that neither a reopened popup nor a restarted worker sends an attempt the server
// would refuse (and count). Kept in storage.session: it outlives the popup and the worker, not the
// browser. Only an origin and a time are kept, nothing secret.
import type { StorageAreaLike } from './account-store';

const KEY_PREFIX = 'signInRetryAt:';

export interface SignInBackoff {
  /** When the realm accepts the next attempt (epoch ms), or null if it does now. */
  retryAt(origin: string): Promise<number | null>;
  remember(origin: string, retryAt: number): Promise<void>;
}

export function createSignInBackoff(area: StorageAreaLike, now: () => number): SignInBackoff {
  // The server enforces its limit anyway; a storage failure must not lock anyone out, so it
  // costs at most one attempt the server refuses.
  return {
    async retryAt(origin) {
      const key = KEY_PREFIX + origin;
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
    async remember(origin, retryAt) {
      try {
        await area.set({ [KEY_PREFIX + origin]: retryAt });
      } catch {
        // See above.
      }
    },
  };
}
