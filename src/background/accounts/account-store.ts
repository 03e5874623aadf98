// The accounts in storage.local, one item per realm (stored-realm.ts says how they are stored).
// A schema version sits beside the realms (account-migrations.ts), API keys are sealed, and every
// write goes through one serial queue, so concurrent sign-ins and removals never lose an account.
import type { AccountSummary, CredentialStatus } from '../../shared/reply-values';
import { accountStorageKey, rememberedRealmAt, type StoredAccount, type StoredRealm } from './stored-realm';
import type { StorageAreaLike } from '../../shared/storage-area';
import type { KeySealer } from '../keys/key-sealer';
import { createSerialQueue } from '../serial-queue';
import { CURRENT_SCHEMA_VERSION, MIGRATIONS, SCHEMA_VERSION_KEY, type Migration } from './account-migrations';
import { resealedRealm, sealBinding } from './account-keys';
import { claimDue, listed, select, summary, withAccount, withoutAccount, type AccountSelector } from './realm-accounts';


export interface NewAccount extends Omit<AccountSummary, 'addedAt' | 'credentialStatus' | 'checkedAt' | 'isDefault'> {
  apiKey: string;
}

export function createAccountStore(
  storage: StorageAreaLike,
  sealer: KeySealer,
  options: { now?: () => number; migrations?: Record<number, Migration> } = {},
) {
  const queue = createSerialQueue();
  const now = options.now ?? Date.now;
  const migrations = options.migrations ?? MIGRATIONS;
  let migrated: Promise<void> | null = null;

  async function migrate(): Promise<void> {
    const stored = (await storage.get(SCHEMA_VERSION_KEY))[SCHEMA_VERSION_KEY];
    // Every version writes its number before its first account, so none means a fresh install.
    if (typeof stored !== 'number') {
      await storage.set({ [SCHEMA_VERSION_KEY]: CURRENT_SCHEMA_VERSION });
      return;
    }
    if (stored > CURRENT_SCHEMA_VERSION) {
      throw new Error(`Stored data is from a newer version of the extension (schema ${stored})`);
    }
    for (let version = stored; version < CURRENT_SCHEMA_VERSION; version++) {
      const step = migrations[version];
      if (!step) throw new Error(`No migration from schema ${version}`);
      // The records and the version they now have go in one set(), which both browsers commit as one
      // write (a LevelDB batch in Chromium, one IndexedDB transaction in Firefox): storage holds all
      // of version N or all of N + 1. Stopped before it, the worker starts over from N next time.
      await storage.set({ ...step(await storage.get(null)), [SCHEMA_VERSION_KEY]: version + 1 });
    }
  }

  /** Storage is migrated once, before the first read or write. */
  function ready(): Promise<void> {
    migrated ??= queue(migrate).catch((error: unknown) => {
      migrated = null;
      throw error;
    });
    return migrated;
  }

  async function readRealm(realmUrl: string): Promise<StoredRealm | null> {
    const key = accountStorageKey(realmUrl);
    return rememberedRealmAt(key, (await storage.get(key))[key]);
  }

  async function readAllRealms(): Promise<StoredRealm[]> {
    return Object.entries(await storage.get(null))
      .map(([key, value]) => rememberedRealmAt(key, value))
      .filter((realm) => realm !== null);
  }

  /** Writes a realm, or forgets it when it has no account left. */
  async function writeRealm(realm: StoredRealm): Promise<void> {
    const key = accountStorageKey(realm.realmUrl);
    if (realm.accounts.length === 0) await storage.remove(key);
    else await storage.set({ [key]: realm });
  }

  return {
    /** Checks (and migrates) storage now, so that the first request does not wait for it (at background start). */
    prepare: ready,

    /** Every account, by organization name, each organization's default first, then by email. */
    async list(): Promise<AccountSummary[]> {
      await ready();
      return listed(await readAllRealms());
    },

    /** One account of a realm; without a user id, the realm's default. */
    async get(realmUrl: string, userId?: number): Promise<AccountSummary | null> {
      await ready();
      const realm = await readRealm(realmUrl);
      const account = realm && select(realm, { userId });
      return account && summary(realm, account);
    },

    /**
     * The account and its API key (the realm's default when no selector names one); throws if the
     * sealed key cannot be opened. `keyId` names this sealing of the key (its IV, fresh for every
     * seal) for recordCheck.
     */
    async getWithKey(realmUrl: string, selector?: AccountSelector): Promise<{ account: AccountSummary; apiKey: string; keyId: string } | null> {
      await ready();
      const realm = await readRealm(realmUrl);
      const account = realm && select(realm, selector);
      if (!account) return null;
      const apiKey = await sealer.open(account.sealedApiKey, sealBinding(account.realmUrl, account.userId));
      return { account: summary(realm, account), apiKey, keyId: account.sealedApiKey.iv };
    },

    /**
     * Saves an account by its identity (realm, user id), as withAccount says: signing in again as
     * the same person replaces the key and keeps the date it was first added; another person is
     * added beside the realm's accounts, unless an account of the same email is `replaced`.
     */
    async put(account: NewAccount): Promise<{ saved: AccountSummary; replaced: AccountSummary | null }> {
      await ready();
      const { apiKey, ...fields } = account;
      return queue(async () => {
        // Sealed in the queue, so that it uses the sealing key resealAll leaves behind.
        const sealedApiKey = await sealer.seal(apiKey, sealBinding(fields.realmUrl, fields.userId));
        const stored = await readRealm(fields.realmUrl);
        const previous = stored && select(stored, { userId: fields.userId });
        // A key the server has just handed out is as checked as a key can be.
        const record: StoredAccount = { ...fields, addedAt: previous?.addedAt ?? now(), sealedApiKey, credentialStatus: 'valid', checkedAt: now() };
        const { realm, replaced } = withAccount(stored, record);
        await writeRealm(realm);
        return { saved: summary(realm, record), replaced: replaced && stored && summary(stored, replaced) };
      });
    },

    /** Makes an account its realm's default; null if there is no such account. */
    async setDefault(realmUrl: string, userId: number): Promise<AccountSummary | null> {
      await ready();
      return queue(async () => {
        const stored = await readRealm(realmUrl);
        const account = stored && select(stored, { userId });
        if (!account) return null;
        const realm: StoredRealm = { ...stored, defaultUserId: userId };
        await writeRealm(realm);
        return summary(realm, account);
      });
    },

    /**
     * Claims the checks that are due: accounts never checked, or last checked `interval` ms ago or
     * more (or in the future: the clock was set back). Their checkedAt becomes now before anything
     * is sent, so concurrent or interrupted callers never check an account twice in an interval.
     */
    async claimDueChecks(interval: number): Promise<Array<{ realmUrl: string; userId: number }>> {
      await ready();
      return queue(async () => {
        const { due, writes } = claimDue(await readAllRealms(), now(), interval);
        if (due.length > 0) await storage.set(writes);
        return due;
      });
    },

    /**
     * Records that the key `keyId` of an account was checked now, and the server's verdict on it
     * (null: the server gave none). A verdict on a key that has since been replaced by a new
     * sign-in is dropped. Returns the account as stored afterwards, or null if it is gone.
     */
    async recordCheck(realmUrl: string, userId: number, keyId: string, verdict: CredentialStatus | null): Promise<AccountSummary | null> {
      await ready();
      return queue(async () => {
        const stored = await readRealm(realmUrl);
        const account = stored && select(stored, { userId });
        if (!account) return null;
        if (account.sealedApiKey.iv !== keyId) return summary(stored, account);
        const record: StoredAccount = { ...account, credentialStatus: verdict ?? account.credentialStatus, checkedAt: now() };
        const realm: StoredRealm = { ...stored, accounts: stored.accounts.map((other) => (other === account ? record : other)) };
        await writeRealm(realm);
        return summary(realm, record);
      });
    },

    /**
     * Opens every account's key and seals it again with the sealer's current key, one write per
     * organization (key-move.ts moves the accounts to another sealing key this way). Running
     * it again is harmless.
     */
    async resealAll(): Promise<void> {
      await ready();
      await queue(async () => {
        for (const realm of await readAllRealms()) await writeRealm(await resealedRealm(realm, sealer));
      });
    },

    /** Forgets an account; if it was its realm's default, the next of the realm's accounts in list order becomes it. */
    async remove(realmUrl: string, userId: number): Promise<boolean> {
      await ready();
      return queue(async () => {
        const stored = await readRealm(realmUrl);
        const account = stored && select(stored, { userId });
        if (!account) return false;
        await writeRealm(withoutAccount(stored, account));
        return true;
      });
    },
  };
}
export type AccountStore = ReturnType<typeof createAccountStore>;
