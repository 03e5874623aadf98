// A realm's accounts as storage.local holds them, schema 3: one storage key per realm
// ("account:<realm origin>") holding every account of that realm and which one is its default:
//   { realmUrl, defaultUserId, accounts: [record, ...] }
// An account's identity is (realm, user id), as in Zulip's mobile app; one email appears at most
// once in a realm. The default lives in the same item as the accounts, so every change to a realm
// (an account added or removed, a new default) is one set() of one item and cannot be half-written.
import * as z from 'zod/mini';
import type { CredentialStatus } from '../../shared/reply-values';
import { deepFreeze } from './deep-freeze';
import { sealedSchema } from '../keys/key-sealer';

export const ACCOUNT_PREFIX = 'account:';

export const storedAccountV1Schema = z.strictObject({
  realmUrl: z.string(),
  realmName: z.string(),
  realmIconUrl: z.nullable(z.string()),
  email: z.string(),
  userId: z.int(),
  zulipVersion: z.string(),
  featureLevel: z.number(),
  addedAt: z.number(),
  sealedApiKey: sealedSchema,
});

const CREDENTIAL_STATUSES = ['valid', 'invalid', 'user-deactivated', 'realm-deactivated'] as const satisfies readonly CredentialStatus[];

// Schema 2: what the last check of the key found, and when it was made.
export const storedAccountSchema = z.extend(storedAccountV1Schema, {
  credentialStatus: z.enum(CREDENTIAL_STATUSES),
  checkedAt: z.nullable(z.number()),
});
export type StoredAccount = z.infer<typeof storedAccountSchema>;

// Schema 3: a realm's accounts and its default, in one item.
const storedRealmSchema = z.strictObject({
  realmUrl: z.string(),
  defaultUserId: z.int(),
  accounts: z.array(storedAccountSchema),
});
export type StoredRealm = z.infer<typeof storedRealmSchema>;

export function accountStorageKey(realmUrl: string): string {
  return ACCOUNT_PREFIX + realmUrl;
}

export const sameEmail = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export const byEmail = (a: StoredAccount, b: StoredAccount) => a.email.localeCompare(b.email);

/**
 * The realm stored under `key`, or null. Content scripts can write storage.local, so an account
 * counts only where it belongs: one copied under another realm's key (to be handed to that realm's
 * pages) is ignored, and its sealed key is bound to the realm and user it was sealed for. The store
 * never writes a realm without accounts, two accounts with one user id or email, or a default that
 * is not one of them; whatever was written otherwise is read as the store would have written it.
 */
function realmAt(key: string, value: unknown): StoredRealm | null {
  if (!key.startsWith(ACCOUNT_PREFIX)) return null;
  const parsed = storedRealmSchema.safeParse(value);
  if (!parsed.success || accountStorageKey(parsed.data.realmUrl) !== key) return null;
  const { realmUrl, defaultUserId } = parsed.data;
  const accounts: StoredAccount[] = [];
  for (const account of parsed.data.accounts) {
    const duplicate = accounts.some((kept) => kept.userId === account.userId || sameEmail(kept.email, account.email));
    if (account.realmUrl === realmUrl && !duplicate) accounts.push(account);
  }
  if (accounts.length === 0) return null;
  if (accounts.some((account) => account.userId === defaultUserId)) return { realmUrl, defaultUserId, accounts };
  const [first] = [...accounts].sort(byEmail);
  return { realmUrl, defaultUserId: first?.userId ?? defaultUserId, accounts };
}

/**
 * realmAt, remembered per stored value. Only a frozen value is remembered: the cached storage
 * (cached-storage.ts) hands out the same object, frozen all the way down, until its item changes,
 * so a realm is parsed (and its records validated) once per change rather than once per request;
 * any other value could change after it was read. What is remembered is frozen too, as every
 * request shares it, and holds sealed keys only.
 */
const realmsRead = new WeakMap<object, { key: string; realm: StoredRealm | null }>();
export function rememberedRealmAt(key: string, value: unknown): StoredRealm | null {
  if (typeof value !== 'object' || value === null || !Object.isFrozen(value)) return realmAt(key, value);
  const known = realmsRead.get(value);
  if (known?.key === key) return known.realm;
  const realm = deepFreeze(realmAt(key, value));
  realmsRead.set(value, { key, realm });
  return realm;
}
