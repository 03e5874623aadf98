// Accounts in storage.local: one storage key per realm ("account:<realm origin>"), a schema
// version beside them, API keys sealed. Every write goes through one serial queue, so concurrent
// sign-ins and removals never lose an account.
import * as z from 'zod/mini';
import type { AccountSummary, CredentialStatus } from '../shared/messages';
import type { KeySealer } from './key-sealer';
import { sealedSchema } from './key-sealer';
import { createSerialQueue } from './serial-queue';

export interface StorageAreaLike {
  get(keys?: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

export const SCHEMA_VERSION_KEY = 'schemaVersion';
export const CURRENT_SCHEMA_VERSION = 2;
const ACCOUNT_PREFIX = 'account:';

const storedAccountV1Schema = z.strictObject({
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
const storedAccountSchema = z.extend(storedAccountV1Schema, {
  credentialStatus: z.enum(CREDENTIAL_STATUSES),
  checkedAt: z.nullable(z.number()),
});
type StoredAccount = z.infer<typeof storedAccountSchema>;

export interface NewAccount extends Omit<AccountSummary, 'addedAt' | 'credentialStatus' | 'checkedAt'> {
  apiKey: string;
}

/**
 * A migration turns everything stored at version N (all of storage.local) into the items to write
 * for version N + 1. It must be a pure function of what it is given, so that running it again after
 * an interrupted upgrade gives the same writes.
 */
export type Migration = (stored: Record<string, unknown>) => Record<string, unknown>;

/** Schema 1 → 2: every account starts as valid and never checked. Anything else stays as it is. */
function addCredentialStatus(stored: Record<string, unknown>): Record<string, unknown> {
  const writes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stored)) {
    if (!key.startsWith(ACCOUNT_PREFIX)) continue;
    const parsed = storedAccountV1Schema.safeParse(value);
    // A record under another realm's key was never an account (see recordAt); it is left to be ignored.
    if (!parsed.success || accountStorageKey(parsed.data.realmUrl) !== key) continue;
    const migrated: StoredAccount = { ...parsed.data, credentialStatus: 'valid', checkedAt: null };
    writes[key] = migrated;
  }
  return writes;
}

export const MIGRATIONS: Readonly<Record<number, Migration>> = { 1: addCredentialStatus };

export function accountStorageKey(realmUrl: string): string {
  return ACCOUNT_PREFIX + realmUrl;
}

function sealBinding(realmUrl: string, userId: number): string {
  return `${realmUrl}\n${userId}`;
}

/**
 * The account stored under `key`, or null. Content scripts can write storage.local, so a record
 * counts only where it belongs: one copied under another realm's key (to be handed to that realm's
 * pages) is ignored, and its sealed key is bound to the realm it was sealed for.
 */
function recordAt(key: string, value: unknown): StoredAccount | null {
  if (!key.startsWith(ACCOUNT_PREFIX)) return null;
  const parsed = storedAccountSchema.safeParse(value);
  return parsed.success && accountStorageKey(parsed.data.realmUrl) === key ? parsed.data : null;
}

function summary(account: StoredAccount): AccountSummary {
  const { sealedApiKey: _sealed, ...rest } = account;
  return rest;
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

  async function readAccount(realmUrl: string): Promise<StoredAccount | null> {
    const key = accountStorageKey(realmUrl);
    return recordAt(key, (await storage.get(key))[key]);
  }

  return {
    async list(): Promise<AccountSummary[]> {
      await ready();
      const all = await storage.get(null);
      return Object.entries(all)
        .map(([key, value]) => recordAt(key, value))
        .filter((account) => account !== null)
        .map(summary)
        .sort((a, b) => a.realmName.localeCompare(b.realmName) || a.email.localeCompare(b.email));
    },

    async get(realmUrl: string): Promise<AccountSummary | null> {
      await ready();
      const account = await readAccount(realmUrl);
      return account && summary(account);
    },

    /**
     * The account and its API key; throws if the sealed key cannot be opened. `keyId` names this
     * sealing of the key (its IV, fresh for every seal) for recordCheck.
     */
    async getWithKey(realmUrl: string): Promise<{ account: AccountSummary; apiKey: string; keyId: string } | null> {
      await ready();
      const account = await readAccount(realmUrl);
      if (!account) return null;
      const apiKey = await sealer.open(account.sealedApiKey, sealBinding(account.realmUrl, account.userId));
      return { account: summary(account), apiKey, keyId: account.sealedApiKey.iv };
    },

    /**
     * Saves an account, replacing any account of the same realm: one account per organization.
     * Signing in again as the same person keeps the date it was first added.
     */
    async put(account: NewAccount): Promise<{ saved: AccountSummary; replaced: AccountSummary | null }> {
      await ready();
      const { apiKey, ...fields } = account;
      return queue(async () => {
        // Sealed in the queue, so that it uses the sealing key resealAll leaves behind.
        const sealedApiKey = await sealer.seal(apiKey, sealBinding(fields.realmUrl, fields.userId));
        const previous = await readAccount(fields.realmUrl);
        const samePerson = previous !== null && previous.userId === fields.userId;
        // A key the server has just handed out is as checked as a key can be.
        const record: StoredAccount = {
          ...fields,
          addedAt: samePerson ? previous.addedAt : now(),
          sealedApiKey,
          credentialStatus: 'valid',
          checkedAt: now(),
        };
        await storage.set({ [accountStorageKey(fields.realmUrl)]: record });
        return { saved: summary(record), replaced: previous && !samePerson ? summary(previous) : null };
      });
    },

    /**
     * Claims the checks that are due: accounts never checked, or last checked `interval` ms ago or
     * more (or in the future: the clock was set back). Their checkedAt becomes now before anything
     * is sent, so concurrent or interrupted callers never check an account twice in an interval.
     */
    async claimDueChecks(interval: number): Promise<string[]> {
      await ready();
      return queue(async () => {
        const at = now();
        const due = Object.entries(await storage.get(null))
          .map(([key, value]) => recordAt(key, value))
          .filter((account) => account !== null)
          .filter(({ checkedAt }) => checkedAt === null || checkedAt > at || at - checkedAt >= interval);
        if (due.length > 0) {
          await storage.set(Object.fromEntries(due.map((account) => [accountStorageKey(account.realmUrl), { ...account, checkedAt: at }])));
        }
        return due.map((account) => account.realmUrl);
      });
    },

    /**
     * Records that the key `keyId` was checked now, and the server's verdict on it (null: the
     * server gave none). A verdict on a key that has since been replaced by a new sign-in is
     * dropped. Returns the account as stored afterwards, or null if it is gone.
     */
    async recordCheck(realmUrl: string, keyId: string, verdict: CredentialStatus | null): Promise<AccountSummary | null> {
      await ready();
      return queue(async () => {
        const account = await readAccount(realmUrl);
        if (!account || account.sealedApiKey.iv !== keyId) return account && summary(account);
        const record: StoredAccount = { ...account, credentialStatus: verdict ?? account.credentialStatus, checkedAt: now() };
        await storage.set({ [accountStorageKey(realmUrl)]: record });
        return summary(record);
      });
    },

    /**
     * Opens every account's key and seals it again with the sealer's current key, one write per
     * account (passphrase-lock.ts moves the accounts to another sealing key this way). Running it
     * again is harmless.
     */
    async resealAll(): Promise<void> {
      await ready();
      await queue(async () => {
        for (const [key, value] of Object.entries(await storage.get(null))) {
          const account = recordAt(key, value);
          if (!account) continue;
          const binding = sealBinding(account.realmUrl, account.userId);
          let apiKey: string;
          try {
            apiKey = await sealer.open(account.sealedApiKey, binding);
          } catch (error) {
            // A key no sealing key opens (altered, or bound to another account) never will: it stays unreadable.
            if (error instanceof DOMException && error.name === 'OperationError') continue;
            throw error;
          }
          await storage.set({ [key]: { ...account, sealedApiKey: await sealer.seal(apiKey, binding) } });
        }
      });
    },

    async remove(realmUrl: string): Promise<boolean> {
      await ready();
      return queue(async () => {
        const existed = (await readAccount(realmUrl)) !== null;
        await storage.remove(accountStorageKey(realmUrl));
        return existed;
      });
    },
  };
}
export type AccountStore = ReturnType<typeof createAccountStore>;
