// Accounts in storage.local, schema 3: one storage key per realm ("account:<realm origin>")
// holding every account of that realm and which one is its default:
//   { realmUrl, defaultUserId, accounts: [record, ...] }
// An account's identity is (realm, user id), as in Zulip's mobile app; one email appears at most
// once in a realm. The default lives in the same item as the accounts, so every change to a realm
// (an account added or removed, a new default) is one set() of one item and cannot be half-written.
// A schema version sits beside the realms, API keys are sealed, and every write goes through one
// serial queue, so concurrent sign-ins and removals never lose an account.
import * as z from 'zod/mini';
import type { AccountSummary, CredentialStatus } from '../../shared/reply-values';
import { deepFreeze } from './deep-freeze';
import type { KeySealer } from '../keys/key-sealer';
import { sealedSchema } from '../keys/key-sealer';
import { createSerialQueue } from '../serial-queue';

export interface StorageAreaLike {
  get(keys?: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

export const SCHEMA_VERSION_KEY = 'schemaVersion';
export const CURRENT_SCHEMA_VERSION = 3;
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

// Schema 3: a realm's accounts and its default, in one item.
const storedRealmSchema = z.strictObject({
  realmUrl: z.string(),
  defaultUserId: z.int(),
  accounts: z.array(storedAccountSchema),
});
type StoredRealm = z.infer<typeof storedRealmSchema>;

export interface NewAccount extends Omit<AccountSummary, 'addedAt' | 'credentialStatus' | 'checkedAt' | 'isDefault'> {
  apiKey: string;
}

/** Which of a realm's accounts: by user id, by email (case-insensitive), or neither for its default. */
export interface AccountSelector {
  userId?: number;
  email?: string;
}

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
    // A record under another realm's key was never an account (see realmAt); it is left to be ignored.
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

export function accountStorageKey(realmUrl: string): string {
  return ACCOUNT_PREFIX + realmUrl;
}

function sealBinding(realmUrl: string, userId: number): string {
  return `${realmUrl}\n${userId}`;
}

const sameEmail = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

const byEmail = (a: StoredAccount, b: StoredAccount) => a.email.localeCompare(b.email);

/** A realm's accounts in the list's order: the default first, then by email. */
function ordered(realm: StoredRealm): StoredAccount[] {
  const isDefault = (account: StoredAccount) => Number(account.userId === realm.defaultUserId);
  return [...realm.accounts].sort((a, b) => isDefault(b) - isDefault(a) || byEmail(a, b));
}

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
function rememberedRealmAt(key: string, value: unknown): StoredRealm | null {
  if (typeof value !== 'object' || value === null || !Object.isFrozen(value)) return realmAt(key, value);
  const known = realmsRead.get(value);
  if (known?.key === key) return known.realm;
  const realm = deepFreeze(realmAt(key, value));
  realmsRead.set(value, { key, realm });
  return realm;
}

function summary(realm: StoredRealm, account: StoredAccount): AccountSummary {
  const { sealedApiKey: _sealed, ...rest } = account;
  return { ...rest, isDefault: account.userId === realm.defaultUserId };
}

function select(realm: StoredRealm, selector: AccountSelector = {}): StoredAccount | null {
  const { userId, email } = selector;
  const found = realm.accounts.find((account) =>
    userId !== undefined ? account.userId === userId : email !== undefined ? sameEmail(account.email, email) : account.userId === realm.defaultUserId,
  );
  return found ?? null;
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
      const realms = await readAllRealms();
      // Sorted as groups, so that one organization's accounts stay together even beside another of the same name.
      const groups = realms.map((realm) => ordered(realm).map((account) => summary(realm, account)));
      const name = (group: AccountSummary[]) => group[0]?.realmName ?? '';
      const url = (group: AccountSummary[]) => group[0]?.realmUrl ?? '';
      return groups.sort((a, b) => name(a).localeCompare(name(b)) || url(a).localeCompare(url(b))).flat();
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
     * Saves an account by its identity (realm, user id): signing in again as the same person
     * replaces the key and keeps the date it was first added; another person is added beside the
     * realm's accounts. One exception: another user id with the same email (the account was
     * recreated on the server) replaces that account, and `replaced` names it. A realm's first
     * account becomes its default, and so does the account that replaces the default.
     */
    async put(account: NewAccount): Promise<{ saved: AccountSummary; replaced: AccountSummary | null }> {
      await ready();
      const { apiKey, ...fields } = account;
      return queue(async () => {
        // Sealed in the queue, so that it uses the sealing key resealAll leaves behind.
        const sealedApiKey = await sealer.seal(apiKey, sealBinding(fields.realmUrl, fields.userId));
        const stored = await readRealm(fields.realmUrl);
        const previous = stored && select(stored, { userId: fields.userId });
        const replaced = stored?.accounts.find((other) => other.userId !== fields.userId && sameEmail(other.email, fields.email)) ?? null;
        // A key the server has just handed out is as checked as a key can be.
        const record: StoredAccount = {
          ...fields,
          addedAt: previous?.addedAt ?? now(),
          sealedApiKey,
          credentialStatus: 'valid',
          checkedAt: now(),
        };
        // The server has just described the realm: every account of it shows the same organization.
        const { realmName, realmIconUrl, zulipVersion, featureLevel } = fields;
        const others = (stored?.accounts ?? [])
          .filter((other) => other !== previous && other !== replaced)
          .map((other) => ({ ...other, realmName, realmIconUrl, zulipVersion, featureLevel }));
        const keepDefault = stored !== null && others.some((other) => other.userId === stored.defaultUserId);
        const realm: StoredRealm = {
          realmUrl: fields.realmUrl,
          defaultUserId: keepDefault ? stored.defaultUserId : fields.userId,
          accounts: [...others, record],
        };
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
        const at = now();
        const isDue = ({ checkedAt }: StoredAccount) => checkedAt === null || checkedAt > at || at - checkedAt >= interval;
        const due: Array<{ realmUrl: string; userId: number }> = [];
        const writes: Record<string, StoredRealm> = {};
        for (const realm of await readAllRealms()) {
          if (!realm.accounts.some(isDue)) continue;
          writes[accountStorageKey(realm.realmUrl)] = {
            ...realm,
            accounts: realm.accounts.map((account) => (isDue(account) ? { ...account, checkedAt: at } : account)),
          };
          for (const account of ordered(realm).filter(isDue)) due.push({ realmUrl: realm.realmUrl, userId: account.userId });
        }
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
     * organization (passphrase-lock.ts moves the accounts to another sealing key this way). Running
     * it again is harmless.
     */
    async resealAll(): Promise<void> {
      await ready();
      await queue(async () => {
        for (const [key, value] of Object.entries(await storage.get(null))) {
          const realm = rememberedRealmAt(key, value);
          if (!realm) continue;
          const accounts: StoredAccount[] = [];
          for (const account of realm.accounts) {
            const binding = sealBinding(account.realmUrl, account.userId);
            let apiKey: string;
            try {
              apiKey = await sealer.open(account.sealedApiKey, binding);
            } catch (error) {
              // A key no sealing key opens (altered, or bound to another account) never will: it stays unreadable.
              if (error instanceof DOMException && error.name === 'OperationError') {
                accounts.push(account);
                continue;
              }
              throw error;
            }
            accounts.push({ ...account, sealedApiKey: await sealer.seal(apiKey, binding) });
          }
          await writeRealm({ ...realm, accounts });
        }
      });
    },

    /** Forgets an account; if it was its realm's default, the next of the realm's accounts in list order becomes it. */
    async remove(realmUrl: string, userId: number): Promise<boolean> {
      await ready();
      return queue(async () => {
        const stored = await readRealm(realmUrl);
        const account = stored && select(stored, { userId });
        if (!account) return false;
        const accounts = stored.accounts.filter((other) => other !== account);
        const next = ordered({ ...stored, accounts })[0];
        const defaultUserId = userId === stored.defaultUserId && next ? next.userId : stored.defaultUserId;
        await writeRealm({ realmUrl: stored.realmUrl, defaultUserId, accounts });
        return true;
      });
    },
  };
}
export type AccountStore = ReturnType<typeof createAccountStore>;
