// The order of what the popup shows first, without a DOM: locked first, then a flow's news or a
// draft, else the list.
import { describe, expect, it } from 'vitest';
import type { Send } from '../shared/message-client';
import type { AccountSummary, LockStatus, SsoFlowSummary } from '../shared/reply-values';
import type { Reply } from '../shared/messages';
import type { Draft } from '../shared/popup-draft';
import { opening } from './opening';

const unlockedLock: LockStatus = { enabled: false, locked: false, idleMinutes: 15, retryAt: null };
const lockedLock: LockStatus = { enabled: true, locked: true, idleMinutes: 15, retryAt: null };
// Passed through as the background lists them.
const account = { email: 'iago@zulip.com', realmUrl: 'https://chat.example.com' } as AccountSummary;
const flow: SsoFlowSummary = { realmUrl: 'https://chat.example.com', realmName: 'Example', methodDisplayName: 'GitHub', startedAt: 0, deadline: 1 };
const draft: Draft = { step: 'server', serverUrl: 'chat.example.com' };
const noNews = { flow: null, outcome: null };

/** The background's answer to popup.open, and the draft in storage; records what was asked. */
function deps(reply: Reply<'popup.open'>, saved: Draft | null) {
  const asked: string[] = [];
  const send = (async (request: { type: string }) => {
    asked.push(request.type);
    return reply;
  }) as Send;
  return { asked, send, drafts: { load: async () => saved } };
}

describe('opening', () => {
  it('shows the list when there is nothing to carry on', async () => {
    const given = deps({ ok: true, lock: unlockedLock, unlocked: { accounts: [account], sso: noNews } }, null);
    await expect(opening(given)).resolves.toEqual({ kind: 'accounts', lock: unlockedLock, accounts: [account] });
    expect(given.asked).toEqual(['popup.open']);
  });

  it('shows the unlock form while locked, before a draft and whatever the background keeps', async () => {
    await expect(opening(deps({ ok: true, lock: lockedLock, unlocked: null }, draft))).resolves.toEqual({ kind: 'locked', lock: lockedLock });
  });

  it('carries on from a saved draft', async () => {
    await expect(opening(deps({ ok: true, lock: unlockedLock, unlocked: { accounts: [], sso: noNews } }, draft))).resolves.toEqual({
      kind: 'resume',
      lock: unlockedLock,
      accounts: [],
      saved: draft,
      sso: noNews,
    });
  });

  it('carries on from a single sign-on flow under way, or from how one ended, without a draft', async () => {
    const outcome = { ok: false as const, realmUrl: flow.realmUrl, error: { code: 'INTERNAL' as const, message: 'It failed.' } };
    for (const sso of [{ flow, outcome: null }, { flow: null, outcome }]) {
      await expect(opening(deps({ ok: true, lock: unlockedLock, unlocked: { accounts: [account], sso } }, null))).resolves.toMatchObject({
        kind: 'resume',
        saved: null,
        sso,
      });
    }
  });

  it('says why when the background cannot answer, whatever the draft', async () => {
    const reply: Reply<'popup.open'> = { ok: false, error: { code: 'INTERNAL', message: 'The background did not answer.' } };
    await expect(opening(deps(reply, draft))).resolves.toEqual({ kind: 'unreadable', message: 'The background did not answer.' });
  });
});
