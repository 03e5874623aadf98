// Asks a realm whether a stored account's key still works, and records the answer. A refusal
// (HTTP 401) marks the account; anything that is no verdict (network, timeout, 5xx, 429, the 401 of
// a request whose key a proxy removed) is reported to the person and marks nothing: a key must not
// be given up because a server was down.
import type { ErrorInfo } from '../../shared/error-info';
import type { AccountSummary, CredentialStatus } from '../../shared/reply-values';
import type { ZulipClient } from '../../shared/zulip/api-client';
import { ApiError } from '../../shared/zulip/api-error';
import { describeCheckFailure } from '../failures/describe-failure';
import { failure, type ReplyDeps } from '../failures/reply';
import type { AccountStore } from './account-store';
import { storedAccountWithKey } from './account-with-key';

/** The quiet check on opening the popup asks about each account at most this often. */
export const CHECK_INTERVAL_MS = 60 * 60 * 1000;

export type CheckOutcome = { ok: true; account: AccountSummary } | { ok: false; error: ErrorInfo };

export interface CheckDeps extends ReplyDeps {
  accounts: Pick<AccountStore, 'getWithKey' | 'recordCheck'>;
  zulip: Pick<ZulipClient, 'checkApiKey'>;
  hasHostPermission(origin: string): Promise<boolean>;
}

export async function checkStoredAccount(realmUrl: string, userId: number, deps: CheckDeps): Promise<CheckOutcome> {
  const found = await storedAccountWithKey(realmUrl, { userId }, deps);
  if ('error' in found) return found;
  const { account, apiKey, keyId } = found;
  if (!(await deps.hasHostPermission(account.realmUrl))) {
    return failure('PERMISSION_MISSING', deps.t('error_check_permission_missing', [account.realmUrl]));
  }
  let verdict: CredentialStatus;
  try {
    const answer = await deps.zulip.checkApiKey(account.realmUrl, account.email, apiKey);
    // The key opens someone else's account: it is not this account's key any more.
    verdict = answer.kind === 'valid' && answer.userId !== account.userId ? 'invalid' : answer.kind;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    await deps.accounts.recordCheck(account.realmUrl, account.userId, keyId, null);
    const context = { origin: account.realmUrl, usernameIsEmail: true, now: deps.now(), locale: deps.locale };
    return { ok: false, error: describeCheckFailure(error.failure, context, deps.t) };
  }
  const recorded = await deps.accounts.recordCheck(account.realmUrl, account.userId, keyId, verdict);
  // Removed while the realm was being asked: there is nothing left to mark.
  return recorded ? { ok: true, account: recorded } : failure('NOT_FOUND', deps.t('error_not_found'));
}
