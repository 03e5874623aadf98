// Accounts in storage.local: one storage key per realm ("account:<realm origin>"), a schema
// version beside them, API keys sealed. Every write goes through one serial queue, so concurrent
// sign-ins and removals never lose an account.
import * as z from 'zod/mini';
import type { AccountSummary } from '../shared/messages';
import type { KeySealer } from './key-sealer';
import { sealedSchema } from './key-sealer';
import { createSerialQueue } from './serial-queue';

export interface StorageAreaLike {
  get(keys?: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

export const SCHEMA_VERSION_KEY = 'schemaVersion';
export const CURRENT_SCHEMA_VERSION = 1;
const ACCOUNT_PREFIX = 'account:';

const storedAccountSchema = z.strictObject({
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
type StoredAccount = z.infer<typeof storedAccountSchema>;

export interface NewAccount extends Omit<AccountSummary, 'addedAt'> {
  apiKey: string;
}

/** A migration turns everything stored at version N into version N + 1. */
export type Migration = (storage: StorageAreaLike) => Promise<void>;

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
  const migrations = options.migrations ?? {};
  let migrated: Promise<void> | null = null;

  async function migrate(): Promise<void> {
    const stored = (await storage.get(SCHEMA_VERSION_KEY))[SCHEMA_VERSION_KEY];
    let version = typeof stored === 'number' ? stored : CURRENT_SCHEMA_VERSION;
    if (version > CURRENT_SCHEMA_VERSION) {
      throw new Error(`Stored data is from a newer version of the extension (schema ${version})`);
    }
    while (version < CURRENT_SCHEMA_VERSION) {
      const step = migrations[version];
      if (!step) throw new Error(`No migration from schema ${version}`);
      await step(storage);
      version += 1;
      await storage.set({ [SCHEMA_VERSION_KEY]: version });
    }
    if (stored !== version) await storage.set({ [SCHEMA_VERSION_KEY]: version });
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

    /** The account and its API key; throws if the sealed key cannot be opened. */
    async getWithKey(realmUrl: string): Promise<{ account: AccountSummary; apiKey: string } | null> {
      await ready();
      const account = await readAccount(realmUrl);
      if (!account) return null;
      const apiKey = await sealer.open(account.sealedApiKey, sealBinding(account.realmUrl, account.userId));
      return { account: summary(account), apiKey };
    },

    /**
     * Saves an account, replacing any account of the same realm: one account per organization.
     * Signing in again as the same person keeps the date it was first added.
     */
    async put(account: NewAccount): Promise<{ saved: AccountSummary; replaced: AccountSummary | null }> {
      await ready();
      const { apiKey, ...fields } = account;
      // Sealing happens before the queue: it is slow, and touches nothing shared.
      const sealedApiKey = await sealer.seal(apiKey, sealBinding(fields.realmUrl, fields.userId));
      return queue(async () => {
        const previous = await readAccount(fields.realmUrl);
        const samePerson = previous !== null && previous.userId === fields.userId;
        const record: StoredAccount = { ...fields, addedAt: samePerson ? previous.addedAt : now(), sealedApiKey };
        await storage.set({ [accountStorageKey(fields.realmUrl)]: record });
        return { saved: summary(record), replaced: previous && !samePerson ? summary(previous) : null };
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
