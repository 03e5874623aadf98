// How a way in ended, kept in storage.session for a popup that was closed meanwhile, and
// forgotten as it is read: it is shown once. It holds an account's summary or a failure's
// sentence, never a key or a password; storage.session is never written to disk.
import type { SignInOutcome } from '../../shared/reply-values';
import type { StorageAreaLike } from '../../shared/storage-area';

export interface OutcomeSlot {
  put(outcome: SignInOutcome): Promise<void>;
  clear(): Promise<void>;
  /** The outcome not yet shown, which is forgotten as it is read. */
  take(): Promise<SignInOutcome | null>;
}

export function createOutcomeSlot(area: StorageAreaLike, key: string): OutcomeSlot {
  return {
    put: (outcome) => area.set({ [key]: outcome }),
    clear: () => area.remove(key),
    async take() {
      const stored = (await area.get(key))[key];
      if (stored === undefined) return null;
      await area.remove(key);
      // Only the background writes it; anything unexpected is dropped rather than shown.
      return isOutcome(stored) ? stored : null;
    },
  };
}

function isOutcome(value: unknown): value is SignInOutcome {
  if (typeof value !== 'object' || value === null) return false;
  const outcome = value as { ok?: unknown; account?: unknown; error?: unknown };
  return outcome.ok === true ? typeof outcome.account === 'object' : outcome.ok === false && typeof outcome.error === 'object';
}
