// The popup's requests about every account at once: the list, and the quiet check as it opens.
import type { ReplyMap } from '../../shared/messages';
import { CHECK_INTERVAL_MS, checkStoredAccount } from '../accounts/credential-check';
import type { Handler } from './handler';

export const listAccounts: Handler<'accounts.list'> = async (_request, _sender, deps) => ({ ok: true, accounts: await deps.accounts.list() });

/**
 * Sent by the popup as it opens: quietly checks the accounts whose last check is an hour old or
 * more. The hour is counted here, from checkedAt in storage, because the popup forgets everything
 * when it closes and may be opened many times an hour.
 */
export const checkStaleAccounts: Handler<'accounts.checkStale'> = async (_request, _sender, deps) => {
  // Nothing can be checked without the keys; claiming the checks would only put them off an hour.
  if (await deps.lock.isLocked()) return { ok: true, checked: [], failures: [] };
  const due = await deps.accounts.claimDueChecks(CHECK_INTERVAL_MS);
  const outcomes = await Promise.all(
    due.map(async ({ realmUrl, userId }) => ({ realmUrl, userId, outcome: await checkStoredAccount(realmUrl, userId, deps) })),
  );
  const reply: ReplyMap['accounts.checkStale'] = { checked: [], failures: [] };
  for (const { realmUrl, userId, outcome } of outcomes) {
    if (outcome.ok) reply.checked.push(outcome.account);
    // An account removed while it was checked has nothing to report.
    else if (outcome.error.code !== 'NOT_FOUND') reply.failures.push({ realmUrl, userId, error: outcome.error });
  }
  return { ok: true, ...reply };
};
