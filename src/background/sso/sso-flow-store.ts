// The single sign-on flow under way, and how the last one ended, in storage.session: the worker
// may be stopped while the person is at the identity provider, and Chrome closes the popup when the
// flow's tab opens, so neither may hold it in memory. storage.session is never written to disk and
// is emptied when the browser closes; the one-time pad in it is useless once the flow has ended,
// and it is deleted then.
import * as z from 'zod/mini';
import type { SsoOutcome } from '../../shared/reply-values';
import type { StorageAreaLike } from '../../shared/storage-area';
import { createOutcomeSlot } from '../accounts/outcome-slot';

const FLOW_KEY = 'ssoFlow';
const OUTCOME_KEY = 'ssoOutcome';

const flowSchema = z.strictObject({
  /** Random, to tell this flow's alarm and tab events from an earlier flow's. */
  id: z.string(),
  otp: z.string(),
  realmUrl: z.string(),
  realmName: z.string(),
  realmIconUrl: z.nullable(z.string()),
  zulipVersion: z.string(),
  featureLevel: z.number(),
  methodDisplayName: z.string(),
  /** Null only between creating the record and opening its tab. */
  tabId: z.nullable(z.int()),
  startedAt: z.number(),
  deadline: z.number(),
});
export type SsoFlow = z.infer<typeof flowSchema>;

export interface SsoFlowStore {
  flow(): Promise<SsoFlow | null>;
  saveFlow(flow: SsoFlow): Promise<void>;
  /** Deletes the flow first (so that no second event can act on it), then records how it ended. */
  end(outcome: SsoOutcome | null): Promise<void>;
  /** The outcome not yet shown, which is forgotten as it is read. */
  takeOutcome(): Promise<SsoOutcome | null>;
}

export function createSsoFlowStore(area: StorageAreaLike): SsoFlowStore {
  const outcomes = createOutcomeSlot(area, OUTCOME_KEY);
  return {
    async flow() {
      const parsed = flowSchema.safeParse((await area.get(FLOW_KEY))[FLOW_KEY]);
      return parsed.success ? parsed.data : null;
    },
    saveFlow(flow) {
      return area.set({ [FLOW_KEY]: flow });
    },
    async end(outcome) {
      await area.remove(FLOW_KEY);
      if (outcome) await outcomes.put(outcome);
    },
    takeOutcome: () => outcomes.take(),
  };
}
