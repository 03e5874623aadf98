// What the popup shows first, in this order: the unlock form while the keys are locked (before
// the list, a draft, a flow's news: the background answers only the lock then, and keeps a flow's
// news for after the unlock, see sso-flow.ts); then a single sign-on's news or a saved draft,
// where a closed popup left off; else the list.
import type { Send } from '../shared/message-client';
import type { AccountSummary, LockStatus } from '../shared/reply-values';
import type { ReplyMap } from '../shared/messages';
import type { Draft, DraftStore } from '../shared/popup-draft';

export type Opening =
  /** Nothing could be read: the list view says why, with Retry. */
  | { kind: 'unreadable'; message: string }
  | { kind: 'locked'; lock: LockStatus }
  /** Carry on (resume.ts) from the flow's news, else the draft. */
  | { kind: 'resume'; lock: LockStatus; accounts: AccountSummary[]; saved: Draft | null; sso: ReplyMap['sso.status'] }
  | { kind: 'accounts'; lock: LockStatus; accounts: AccountSummary[] };

/** One message to the background, and the draft read meanwhile. */
export async function opening(deps: { send: Send; drafts: Pick<DraftStore, 'load'> }): Promise<Opening> {
  const [reply, saved] = await Promise.all([deps.send({ type: 'popup.open' }), deps.drafts.load()]);
  if (!reply.ok) return { kind: 'unreadable', message: reply.error.message };
  const { lock, unlocked } = reply;
  if (unlocked === null) return { kind: 'locked', lock };
  const { accounts, sso } = unlocked;
  if (saved !== null || sso.flow !== null || sso.outcome !== null) return { kind: 'resume', lock, accounts, saved, sso };
  return { kind: 'accounts', lock, accounts };
}
