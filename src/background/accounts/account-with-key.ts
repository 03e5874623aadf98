// The lookup behind every request that needs a stored key (credentials.get, Show API key, zuliprc,
// a check): the account with its key opened, or the reply that says why there is none.
import type { GetMessage } from '../failures/describe-failure';
import { failure, type Failure } from '../failures/reply';
import { LockedError } from '../keys/passphrase-lock';
import type { AccountStore } from './account-store';
import type { AccountSelector } from './realm-accounts';

export type AccountWithKey = NonNullable<Awaited<ReturnType<AccountStore['getWithKey']>>>;

/** A stored account of a realm (its default unless `selector` names one) with its key. */
export async function storedAccountWithKey(
  realmUrl: string,
  selector: AccountSelector | undefined,
  deps: { accounts: Pick<AccountStore, 'getWithKey'>; t: GetMessage },
): Promise<AccountWithKey | Failure> {
  let found: AccountWithKey | null;
  try {
    found = await deps.accounts.getWithKey(realmUrl, selector);
  } catch (error) {
    if (error instanceof LockedError) return failure('LOCKED', deps.t('error_locked'));
    return failure('INTERNAL', deps.t('error_key_unreadable'));
  }
  return found ?? failure('NOT_FOUND', deps.t('error_not_found'));
}
