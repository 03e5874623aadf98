// A password sign-in keeps going when the popup that asked for it closes (the person pressed
// Escape or clicked elsewhere; Chrome closes it for a permission prompt or a new tab): the request
// is the background's. Its reply then reaches nobody, so its outcome is kept for the next popup.
import type { Reply, SignInOutcome } from '../shared/messages';
import type { StorageAreaLike } from './account-store';
import { createOutcomeSlot } from './outcome-slot';

const OUTCOME_KEY = 'signInOutcome';

type SignInReply = Reply<'account.signIn'>;

export interface SignInOutcomes {
  /** Runs one sign-in for `realmUrl` and keeps how it ended (an error thrown keeps nothing). */
  track(realmUrl: string, attempt: () => Promise<SignInReply>): Promise<SignInReply>;
  /** How the last sign-in ended, once; waits for one still under way in this background. */
  take(): Promise<SignInOutcome | null>;
}

export function createSignInOutcomes(area: StorageAreaLike): SignInOutcomes {
  const slot = createOutcomeSlot(area, OUTCOME_KEY);
  // Memory is enough: a background stopped mid-request has lost the request too, and the popup
  // then finds no outcome, which it reports as a sign-in that did not finish.
  let running: Promise<unknown> | null = null;
  return {
    async track(realmUrl, attempt) {
      const run = (async () => {
        // An earlier attempt's outcome must not pass for this one's.
        await slot.clear();
        const reply = await attempt();

        await slot.put(reply.ok ? { ok: true, account: reply.account, replaced: reply.replaced } : { ok: false, realmUrl, error: reply.error });
        return reply;
      })();
      running = run;
      try {
        return await run;
      } finally {
        if (running === run) running = null;
      }
    },
    async take() {
      await running?.catch(() => {});
      return slot.take();
    },
  };
}
