// Single sign-on by Zulip's mobile flow (docs/zulip-api.md §5, and §6 for what an extension can see of it):
// a tab opens at the method's login URL with a one-time pad; when the person is done, the server
// answers with a 302 to zulip://login?…, which the browser cannot follow and the background
// observes (webRequest, see sso-capture.ts). Every step reads and writes the flow in storage.session
// and runs in one queue, because the events that end a flow (the redirect seen twice, the tab
// closed by us or by the person, the deadline) can arrive together and in a freshly started worker.
import type { ErrorCode } from '../../shared/error-info';
import type { SsoFlowSummary, SsoOutcome } from '../../shared/reply-values';
import { generateOtp, mobileFlowStartUrl, readMobileFlowRedirect, type MobileFlowProblem } from '../../shared/zulip/mobile-flow';
import type { RealmInfo } from '../../shared/zulip/realm-info';
import { createSerialQueue } from '../serial-queue';
import type { FlowTabs } from './flow-tabs';
import type { SsoFlow, SsoFlowStore } from './sso-flow-store';
import type { GetMessage } from '../failures/describe-failure';
import { LockedError, type PassphraseLock } from '../keys/passphrase-lock';
import { storeGrant, type StoreGrantDeps } from '../accounts/store-grant';
import { logFailure } from '../log-failure';

/** How long a person has at the identity provider before the flow gives up. */
export const SSO_FLOW_TIMEOUT_MS = 10 * 60_000;

export interface SsoDeps {
  store: SsoFlowStore;
  tabs: FlowTabs;
  /** Wakes the background at the deadline (an alarm: a timer would die with the worker). */
  scheduleDeadline(at: number): Promise<void>;
  random(bytes: Uint8Array<ArrayBuffer>): Uint8Array;
}

export type StartOutcome = { ok: true; flow: SsoFlow } | { ok: false; code: ErrorCode; message: string };

export interface SsoMethodChoice {
  realm: RealmInfo;
  displayName: string;
  loginUrl: string;
}

/** What a flow takes besides its own parts: the store of accounts it ends in, and whether the keys are locked. */
export interface SsoFlowsDeps extends StoreGrantDeps {
  lock: Pick<PassphraseLock, 'isLocked'>;
  sso: SsoDeps;
}

export function createSsoFlows(deps: SsoFlowsDeps) {
  const queue = createSerialQueue();
  const { store, tabs } = deps.sso;

  async function end(flow: SsoFlow, outcome: SsoOutcome | null, closeTab: boolean): Promise<void> {
    await store.end(outcome);
    // After the flow is gone: closing fires tabs.onRemoved, which must find nothing to end.
    if (closeTab && flow.tabId !== null) await tabs.close(flow.tabId);
  }

  function failed(flow: SsoFlow, code: ErrorCode, message: string): SsoOutcome {
    return { ok: false, realmUrl: flow.realmUrl, error: { code, message } };
  }

  /** The flow, unless its deadline has passed: then it is ended here, whichever event noticed first. */
  async function current(): Promise<SsoFlow | null> {
    const flow = await store.flow();
    if (flow === null || deps.now() < flow.deadline) return flow;
    await end(flow, failed(flow, 'SSO_TIMED_OUT', deps.t('error_sso_timed_out', [flow.realmName, flow.methodDisplayName])), true);
    return null;
  }

  async function settle(flow: SsoFlow, location: string): Promise<SsoOutcome> {
    const read = readMobileFlowRedirect(location, flow.otp, new URL(flow.realmUrl).origin);
    if (!read.ok) return failed(flow, 'SSO_BAD_REDIRECT', deps.t(...redirectProblemMessage(read.problem, flow)));
    const realm = {
      realmUrl: flow.realmUrl,
      name: flow.realmName,
      iconUrl: flow.realmIconUrl,
      zulipVersion: flow.zulipVersion,
      featureLevel: flow.featureLevel,
      usernameIsEmail: true,
    };
    const stored = await storeGrant(realm, { apiKey: read.apiKey, email: read.email, userId: read.userId }, deps);
    return stored.ok ? stored : { ...stored, realmUrl: flow.realmUrl };
  }

  return {
    /** A new flow replaces one under way: one tab waiting for an identity provider at a time. */
    start(choice: SsoMethodChoice): Promise<StartOutcome> {
      return queue(async () => {
        const previous = await store.flow();
        if (previous) await end(previous, null, true);
        const otp = generateOtp(deps.sso.random);
        const url = mobileFlowStartUrl(choice.realm.realmUrl, choice.loginUrl, otp);
        if (url === null) return { ok: false, code: 'SSO_METHOD_UNKNOWN', message: deps.t('error_sso_method_unknown', [choice.realm.name]) };
        const startedAt = deps.now();
        const flow: SsoFlow = {
          id: generateOtp(deps.sso.random).slice(0, 16),
          otp,
          realmUrl: choice.realm.realmUrl,
          realmName: choice.realm.name,
          realmIconUrl: choice.realm.iconUrl,
          zulipVersion: choice.realm.zulipVersion,
          featureLevel: choice.realm.featureLevel,
          methodDisplayName: choice.displayName,
          tabId: null,
          startedAt,
          deadline: startedAt + SSO_FLOW_TIMEOUT_MS,
        };
        await store.saveFlow(flow);
        await deps.sso.scheduleDeadline(flow.deadline);
        const tabId = await tabs.open(url);
        const opened = { ...flow, tabId };
        await store.saveFlow(opened);
        return { ok: true, flow: opened };
      });
    },

    /**
     * The zulip://login redirect, seen in `tabId`. Redirects in other tabs are not ours to read; one
     * that comes before the new tab's id is stored can only be ours if it decodes with our pad.
     */
    redirectSeen(tabId: number, location: string): Promise<void> {
      return queue(async () => {
        const flow = await current();
        if (flow === null || (flow.tabId !== null && flow.tabId !== tabId)) return;
        // Ended before the account is saved: a second report of the same redirect finds no flow.
        await store.end(null);
        await tabs.close(tabId);
        let outcome: SsoOutcome;
        try {
          outcome = await settle(flow, location);
        } catch (error) {
          if (error instanceof LockedError) {
            // Locked while the person was at the identity provider: the key cannot be sealed.
            outcome = failed(flow, 'LOCKED', deps.t('error_locked'));
          } else {
            logFailure('single sign-on not saved', error);
            outcome = failed(flow, 'INTERNAL', deps.t('error_internal'));
          }
        }
        await end(flow, outcome, false);
      });
    },

    tabClosed(tabId: number): Promise<void> {
      return queue(async () => {
        const flow = await store.flow();
        if (flow === null || flow.tabId !== tabId) return;
        await end(flow, failed(flow, 'SSO_TAB_CLOSED', deps.t('error_sso_tab_closed', [flow.realmName])), false);
      });
    },

    /** The alarm, or anything else that wakes the background: a flow past its deadline ends. */
    checkDeadline(): Promise<void> {
      return queue(async () => {
        await current();
      });
    },

    /** The person gave up from the popup: no outcome to report, they know. */
    cancel(): Promise<boolean> {
      return queue(async () => {
        const flow = await store.flow();
        if (flow === null) return false;
        await end(flow, null, true);
        return true;
      });
    },

    /**
     * The flow under way, and how the last one ended. The popup asks for this together with the
     * lock's state, and shows only the unlock form while locked: the outcome waits for the unlock
     * rather than being handed to a popup that cannot show it.
     */
    status(): Promise<{ flow: SsoFlow | null; outcome: SsoOutcome | null }> {
      return queue(async () => {
        const flow = await current();
        return { flow, outcome: (await deps.lock.isLocked()) ? null : await store.takeOutcome() };
      });
    },
  };
}

export type SsoFlows = ReturnType<typeof createSsoFlows>;

function redirectProblemMessage(problem: MobileFlowProblem, flow: SsoFlow): Parameters<GetMessage> {
  switch (problem) {
    case 'other-realm':
      return ['error_sso_other_realm', [flow.realmName]];
    case 'malformed-key':
    case 'key-not-decoded':
      return ['error_sso_bad_key', [flow.realmName]];
    case 'missing-parameter':
    case 'malformed-user-id':
    case 'not-zulip-login':
      return ['error_sso_incomplete', [flow.realmName]];
  }
}

/** What the popup may know of a flow: not its pad, not its tab. */
export function flowSummary(flow: SsoFlow): SsoFlowSummary {
  const { realmUrl, realmName, methodDisplayName, startedAt, deadline } = flow;
  return { realmUrl, realmName, methodDisplayName, startedAt, deadline };
}
