// A sign-in keeps going when the popup that asked for it closes (the person pressed Escape or
// clicked elsewhere; Chrome closes it for a permission prompt or a new tab): the request is the
// background's. Its reply then reaches nobody, so its outcome is kept for the next popup. This
// holds for every way in the popup waits on: a password, a pasted key, a development login.
import type { Reply, RequestOf } from '../../shared/messages';
import type { SignInOutcome } from '../../shared/reply-values';
import type { StorageAreaLike } from '../../shared/storage-area';
import { createOutcomeSlot } from './outcome-slot';

const OUTCOME_KEY = 'signInOutcome';

/** The requests that end in a stored account or a reason why not. */
export type WayIn = 'account.signIn' | 'account.addWithKey' | 'account.devSignIn';

export interface SignInOutcomes {
  /** Runs one sign-in for `realmUrl` and keeps how it ended (an error thrown keeps nothing). */
  track<R extends Reply<WayIn>>(realmUrl: string, attempt: () => Promise<R>): Promise<R>;
  /** How the last sign-in ended, once; waits for one still under way in this background. */
  take(): Promise<SignInOutcome | null>;
}

export function createSignInOutcomes(area: StorageAreaLike): SignInOutcomes {
  const slot = createOutcomeSlot(area, OUTCOME_KEY);
  // Memory is enough: a background stopped mid-request has lost the request too, and the popup
  // then finds no outcome, which it reports as a sign-in that did not finish.
  let running: Promise<unknown> | null = null;
  return {
    track(realmUrl, attempt) {
      // Off the reply's path: the storage writes happen beside the request, and the reply goes out
      // as soon as the request ends. An earlier attempt's outcome is dropped first (after that
      // attempt's own write), so that it cannot pass for this one's.
      const previous = running;
      const cleared = (async () => {
        await previous?.catch(() => {});
        await slot.clear();
      })();
      const replied = attempt();
      const kept = (async () => {
        await cleared;
        const reply = await replied;
        await slot.put(reply.ok ? { ok: true, account: reply.account, replaced: reply.replaced } : { ok: false, realmUrl, error: reply.error });
      })();
      running = kept;
      kept
        .catch(() => {})
        .finally(() => {
          if (running === kept) running = null;
        });
      return replied;
    },
    async take() {
      await running?.catch(() => {});
      return slot.take();
    },
  };
}

/** A handler of a way in, whatever else it is given. */
type WayInHandler<T extends WayIn, S, D> = (request: RequestOf<T>, sender: S, deps: D) => Promise<Reply<T>>;

/** A way in whose outcome is kept for a popup closed while it ran. */
export function keepingOutcome<T extends WayIn, S, D extends { signInOutcomes: SignInOutcomes }>(handle: WayInHandler<T, S, D>): WayInHandler<T, S, D> {
  // Every way in names its organization by realmUrl; TypeScript cannot see that through T.
  return (request, sender, deps) => deps.signInOutcomes.track((request as RequestOf<WayIn>).realmUrl, () => handle(request, sender, deps));
}
