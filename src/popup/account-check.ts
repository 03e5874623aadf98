// What the popup says about a check of an account's key, free of UI so that it can be tested.
import type { AccountSummary, CredentialStatus } from '../shared/reply-values';
import type { ReplyMap } from '../shared/messages';
import type { Translate } from '../shared/i18n';

/** Why the realm refused the account's key, as shown under the account. */
export function refusalReason(status: Exclude<CredentialStatus, 'valid'>, t: Translate): string {
  switch (status) {
    case 'invalid':
      return t('popup_key_refused');
    case 'user-deactivated':
      return t('error_user_deactivated');
    case 'realm-deactivated':
      return t('error_realm_deactivated');
  }
}

/** The sentence announced when a check has found what the realm thinks of the key. */
export function verdictAnnouncement(account: AccountSummary, t: Translate): string {
  const { credentialStatus: status, realmName, email } = account;
  return status === 'valid' ? t('popup_check_valid', realmName, email) : t('popup_check_refused', realmName, email, refusalReason(status, t));
}

/** A check that got no verdict: the account stays as it was. */
export function checkFailedAnnouncement(account: AccountSummary, reason: string, t: Translate): string {
  return t('popup_check_failed', account.email, account.realmName, reason);
}

/**
 * What the quiet check on opening says: only refusals and failures, since a working key is
 * what everyone expects. `accounts` is the list as it stands after the check.
 */
export function quietCheckAnnouncement(reply: ReplyMap['accounts.checkStale'], accounts: AccountSummary[], t: Translate): string {
  const refused = reply.checked.filter((account) => account.credentialStatus !== 'valid').map((account) => verdictAnnouncement(account, t));
  const failed = reply.failures.flatMap(({ realmUrl, userId, error }) => {
    const account = accounts.find((candidate) => candidate.realmUrl === realmUrl && candidate.userId === userId);
    return account ? [checkFailedAnnouncement(account, error.message, t)] : [];
  });
  return [...refused, ...failed].join(' ');
}
