// Everything the popup's first view depends on, asked for in one message: one round trip through
// the polyfill and the router instead of one per question. Locked, only the lock: the popup shows
// the unlock form and asks again after it, and a single sign-on outcome waits for that (sso-flow.ts).
import type { Handler } from './handler';
import { ssoStatus } from './sso';

export const popupOpen: Handler<'popup.open'> = async (_request, sender, deps) => {
  const lock = await deps.lock.status();
  if (lock.locked) return { ok: true, lock, unlocked: null };
  const [accounts, sso] = await Promise.all([deps.accounts.list(), ssoStatus({ type: 'sso.status' }, sender, deps)]);
  if (!sso.ok) return sso;
  const { flow, outcome } = sso;
  return { ok: true, lock, unlocked: { accounts, sso: { flow, outcome } } };
};
