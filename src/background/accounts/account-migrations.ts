// The account store's schema versions, and how storage written by an earlier one is upgraded.
// The version sits in storage.local beside the realms (stored-realm.ts).
import { accountStorageKey, ACCOUNT_PREFIX, storedAccountSchema, storedAccountV1Schema, type StoredAccount, type StoredRealm } from './stored-realm';
import type * as z from 'zod/mini';

export const SCHEMA_VERSION_KEY = 'schemaVersion';
export const CURRENT_SCHEMA_VERSION = 3;

/**
 * A migration turns everything stored at version N (all of storage.local) into the items to write
 * for version N + 1. It must be a pure function of what it is given, so that running it again after
 * an interrupted upgrade gives the same writes.
 */
export type Migration = (stored: Record<string, unknown>) => Record<string, unknown>;

/** The records of an earlier schema stored under their own realm's key; anything else stays as it is. */
function* ownRecords<T extends { realmUrl: string }>(stored: Record<string, unknown>, schema: z.ZodMiniType<T>): Generator<[string, T]> {
  for (const [key, value] of Object.entries(stored)) {
    if (!key.startsWith(ACCOUNT_PREFIX)) continue;
    const parsed = schema.safeParse(value);
    // A record under another realm's key was never an account (stored-realm.ts); it is left to be ignored.
    if (parsed.success && accountStorageKey(parsed.data.realmUrl) === key) yield [key, parsed.data];
  }
}

/** Schema 1 → 2: every account starts as valid and never checked. */
function addCredentialStatus(stored: Record<string, unknown>): Record<string, unknown> {
  const writes: Record<string, unknown> = {};
  for (const [key, record] of ownRecords(stored, storedAccountV1Schema)) {
    const migrated: StoredAccount = { ...record, credentialStatus: 'valid', checkedAt: null };
    writes[key] = migrated;
  }
  return writes;
}

/** Schema 2 → 3: each realm's one account, unchanged, becomes the first of its accounts and its default. */
function groupAccountsByRealm(stored: Record<string, unknown>): Record<string, unknown> {
  const writes: Record<string, unknown> = {};
  for (const [key, record] of ownRecords(stored, storedAccountSchema)) {
    const migrated: StoredRealm = { realmUrl: record.realmUrl, defaultUserId: record.userId, accounts: [record] };
    writes[key] = migrated;
  }
  return writes;
}

export const MIGRATIONS: Readonly<Record<number, Migration>> = { 1: addCredentialStatus, 2: groupAccountsByRealm };

