// The rules of a realm's accounts, as plain functions of a stored realm (stored-realm.ts): which
// account a request means, the order they are listed in, what the popup sees of one, and the realm
// with an account saved or removed. The account store reads and writes; these decide.
import type { AccountSummary } from '../../shared/reply-values';
import { accountStorageKey, byEmail, sameEmail, type StoredAccount, type StoredRealm } from './stored-realm';

/** Which of a realm's accounts: by user id, by email (case-insensitive), or neither for its default. */
export interface AccountSelector {
  userId?: number;
  email?: string;
}

export function select(realm: StoredRealm, selector: AccountSelector = {}): StoredAccount | null {
  const { userId, email } = selector;
  const found = realm.accounts.find((account) =>
    userId !== undefined ? account.userId === userId : email !== undefined ? sameEmail(account.email, email) : account.userId === realm.defaultUserId,
  );
  return found ?? null;
}

/** A realm's accounts in the list's order: the default first, then by email. */
export function ordered(realm: StoredRealm): StoredAccount[] {
  const isDefault = (account: StoredAccount) => Number(account.userId === realm.defaultUserId);
  return [...realm.accounts].sort((a, b) => isDefault(b) - isDefault(a) || byEmail(a, b));
}

export function summary(realm: StoredRealm, account: StoredAccount): AccountSummary {
  const { sealedApiKey: _sealed, ...rest } = account;
  return { ...rest, isDefault: account.userId === realm.defaultUserId };
}

/** Every account, by organization name, each organization's default first, then by email. */
export function listed(realms: StoredRealm[]): AccountSummary[] {
  // Sorted as groups, so that one organization's accounts stay together even beside another of the same name.
  const groups = realms.map((realm) => ordered(realm).map((account) => summary(realm, account)));
  const name = (group: AccountSummary[]) => group[0]?.realmName ?? '';
  const url = (group: AccountSummary[]) => group[0]?.realmUrl ?? '';
  return groups.sort((a, b) => name(a).localeCompare(name(b)) || url(a).localeCompare(url(b))).flat();
}

/**
 * The realm (null: not stored yet) with `record` saved by its identity (realm, user id): it takes
 * the place of the same user's account, and of another user id with the same email (the account
 * was recreated on the server), which is `replaced`. A realm's first account becomes its default,
 * and so does the account that replaces the default.
 */
export function withAccount(stored: StoredRealm | null, record: StoredAccount): { realm: StoredRealm; replaced: StoredAccount | null } {
  const previous = stored && select(stored, { userId: record.userId });
  const replaced = stored?.accounts.find((other) => other.userId !== record.userId && sameEmail(other.email, record.email)) ?? null;
  // The server has just described the realm: every account of it shows the same organization.
  const { realmName, realmIconUrl, zulipVersion, featureLevel } = record;
  const others = (stored?.accounts ?? [])
    .filter((other) => other !== previous && other !== replaced)
    .map((other) => ({ ...other, realmName, realmIconUrl, zulipVersion, featureLevel }));
  const keepDefault = stored !== null && others.some((other) => other.userId === stored.defaultUserId);
  const realm: StoredRealm = {
    realmUrl: record.realmUrl,
    defaultUserId: keepDefault ? stored.defaultUserId : record.userId,
    accounts: [...others, record],
  };
  return { realm, replaced };
}

/** The realm without `account`; if it was the default, the next of the realm's accounts in list order becomes it. */
export function withoutAccount(stored: StoredRealm, account: StoredAccount): StoredRealm {
  const accounts = stored.accounts.filter((other) => other !== account);
  const next = ordered({ ...stored, accounts })[0];
  const defaultUserId = account.userId === stored.defaultUserId && next ? next.userId : stored.defaultUserId;
  return { realmUrl: stored.realmUrl, defaultUserId, accounts };
}

/**
 * The checks due at `at`: accounts never checked, or last checked `interval` ms before or more (or
 * after it: the clock was set back), each realm's in list order; and the writes that claim them,
 * their realms by storage key with their checkedAt set to `at`.
 */
export function claimDue(realms: StoredRealm[], at: number, interval: number): { due: Array<{ realmUrl: string; userId: number }>; writes: Record<string, StoredRealm> } {
  const isDue = ({ checkedAt }: StoredAccount) => checkedAt === null || checkedAt > at || at - checkedAt >= interval;
  const due: Array<{ realmUrl: string; userId: number }> = [];
  const writes: Record<string, StoredRealm> = {};
  for (const realm of realms) {
    if (!realm.accounts.some(isDue)) continue;
    writes[accountStorageKey(realm.realmUrl)] = {
      ...realm,
      accounts: realm.accounts.map((account) => (isDue(account) ? { ...account, checkedAt: at } : account)),
    };
    for (const account of ordered(realm).filter(isDue)) due.push({ realmUrl: realm.realmUrl, userId: account.userId });
  }
  return { due, writes };
}
