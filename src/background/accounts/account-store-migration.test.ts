// Upgrading storage written by schema versions 1 and 2 (test/fixtures/storage-v1.json and
// storage-v2.json, each written by that version's account store itself) to the current schema.
import type { StorageAreaLike } from '../../shared/storage-area';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import browser from 'webextension-polyfill';
import { fake } from '../../../test/unit/fake-browser';
import { createAccountStore } from './account-store';
import { CURRENT_SCHEMA_VERSION, MIGRATIONS, SCHEMA_VERSION_KEY } from './account-migrations';
import { accountStorageKey } from './stored-realm';
import { createTestSealer } from '../../../test/unit/background-deps';

/** A record as v1 or v2 stored it: one account per realm. */
interface OldRecord {
  realmUrl: string;
  realmName: string;
  realmIconUrl: string | null;
  email: string;
  userId: number;
  zulipVersion: string;
  featureLevel: number;
  addedAt: number;
  sealedApiKey: { iv: string; data: string };
  credentialStatus?: string;
  checkedAt?: number | null;
}

const readFixture = (name: string) =>
  (JSON.parse(readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url), 'utf8')) as { storageLocal: Record<string, unknown> }).storageLocal;

const IAGO = accountStorageKey('https://chat.example.com');
const DESDEMONA = accountStorageKey('http://127.0.0.1:9991');
const API_KEYS = new Map([
  [IAGO, 'gjA04ZYcqXKalvYMA8OeXSfzUOLrtbZv'],
  [DESDEMONA, 'JTZZobwSnLzGkoMCGYyyiXcmslWzgzIP'],
]);
/** What every version ignored: a record copied under another realm's key, a damaged record, a key not ours. */
const IGNORED = ['account:https://evil.example.com', 'account:https://broken.example.com', 'unrelated'];

const newStore = (storage: StorageAreaLike = browser.storage.local) => createAccountStore(storage, createTestSealer());
const stored = () => fake.browser.storage.local.snapshot();

const fixtures = [
  {
    version: 1,
    storage: readFixture('storage-v1.json'),
    // v1 knew nothing of checks: every account starts as valid and never checked.
    asV2: (record: OldRecord) => ({ ...record, credentialStatus: 'valid', checkedAt: null }),
  },
  { version: 2, storage: readFixture('storage-v2.json'), asV2: (record: OldRecord) => record },
];

describe.each(fixtures)('migration from schema $version (stored fixture)', ({ version, storage: OLD, asV2 }) => {
  const oldRecord = (key: string) => OLD[key] as OldRecord;
  /** The realm as schema 3 holds it: its one account, as v2 had it, is its default. */
  const asV3 = (key: string) => ({ realmUrl: oldRecord(key).realmUrl, defaultUserId: oldRecord(key).userId, accounts: [asV2(oldRecord(key))] });
  const migrationSteps = CURRENT_SCHEMA_VERSION - version;

  /**
   * The fixture with sealed keys this test can open. A sealed key opens only with the sealing key
   * of the browser profile that sealed it (a non-extractable CryptoKey in that profile's
   * IndexedDB), so the blobs in the fixture cannot be opened here, by design. These are sealed now
   * by the real sealing path, under this test's sealing key and each account's own binding
   * (realm and user id, unchanged since v1), then put into the old records in place of the
   * originals; nothing else in the records changes.
   */
  async function withOpenableKeys(): Promise<Record<string, unknown>> {
    const scratch = new Map<string, unknown>();
    const scratchArea: StorageAreaLike = {
      get: async () => Object.fromEntries(scratch),
      set: async (items) => Object.entries(items).forEach(([key, value]) => scratch.set(key, value)),
      remove: async () => undefined,
    };
    const storage = structuredClone(OLD);
    for (const [key, apiKey] of API_KEYS) {
      const { addedAt: _addedAt, sealedApiKey: _sealed, credentialStatus: _status, checkedAt: _checkedAt, ...fields } = oldRecord(key);
      await newStore(scratchArea).put({ ...fields, apiKey });
      const { sealedApiKey } = (scratch.get(key) as { accounts: OldRecord[] }).accounts[0]!;
      storage[key] = { ...oldRecord(key), sealedApiKey };
    }
    return storage;
  }

  it('keeps every account as it was written, each its organization\'s default, and the keys still open', async () => {
    await browser.storage.local.set(await withOpenableKeys());
    const store = newStore();
    const accounts = await store.list();
    expect(accounts).toEqual(
      [IAGO, DESDEMONA].map((key) => {
        const { sealedApiKey: _sealed, ...fields } = asV2(oldRecord(key));
        return { ...fields, isDefault: true };
      }),
    );
    for (const [key, apiKey] of API_KEYS) {
      expect((await store.getWithKey(oldRecord(key).realmUrl))?.apiKey).toBe(apiKey);
      expect((await store.getWithKey(oldRecord(key).realmUrl, { email: oldRecord(key).email }))?.apiKey).toBe(apiKey);
    }
    expect(stored()[SCHEMA_VERSION_KEY]).toBe(CURRENT_SCHEMA_VERSION);
  });

  it('rewrites each record as its realm\'s one account, sealed key untouched, and leaves what was ignored exactly as it was', async () => {
    await browser.storage.local.set(structuredClone(OLD));
    await newStore().list();
    const after = stored();
    for (const key of API_KEYS.keys()) expect(after[key]).toEqual(asV3(key));
    for (const key of IGNORED) expect(after[key]).toEqual(OLD[key]);
    expect(Object.keys(after).sort()).toEqual(Object.keys(OLD).sort());
  });

  it('still ignores a record planted under another realm\'s key, and does not open its key there', async () => {
    await browser.storage.local.set(await withOpenableKeys());
    const store = newStore();
    expect((await store.list()).map((account) => account.realmUrl)).toEqual(['https://chat.example.com', 'http://127.0.0.1:9991']);
    expect(await store.getWithKey('https://evil.example.com')).toBeNull();
    expect(await store.getWithKey('https://evil.example.com', { userId: 5 })).toBeNull();
    expect(await store.getWithKey('https://broken.example.com')).toBeNull();
  });

  it(`writes records and version in one set() per step, so an interrupted upgrade leaves version ${version} untouched and a rerun completes it`, async () => {
    await browser.storage.local.set(structuredClone(OLD));
    const writes: Array<Record<string, unknown>> = [];
    let failNext = true;
    const interrupted: StorageAreaLike = {
      get: (keys) => browser.storage.local.get(keys),
      set: async (items) => {
        writes.push(items);
        // The worker stopped before the write reached storage.
        if (failNext) throw new Error('stopped');
        await browser.storage.local.set(items);
      },
      remove: (keys) => browser.storage.local.remove(keys),
    };
    const store = newStore(interrupted);
    await expect(store.list()).rejects.toThrow('stopped');
    expect(stored()).toEqual(OLD);
    failNext = false;
    expect(await store.list()).toHaveLength(2);
    expect(writes).toHaveLength(1 + migrationSteps);
    expect(writes[1]).toEqual(writes[0]);
    for (const [step, write] of writes.slice(1).entries()) {
      expect(Object.keys(write).sort()).toEqual([DESDEMONA, IAGO, SCHEMA_VERSION_KEY].sort());
      expect(write[SCHEMA_VERSION_KEY]).toBe(version + step + 1);
    }
  });

  it('gives the same result when run again over records it already migrated', async () => {
    await browser.storage.local.set(structuredClone(OLD));
    await newStore().list();
    const migrated = stored();
    // As if the version had been lost after the records were written: no step rewrites anything.
    for (let step = version; step < CURRENT_SCHEMA_VERSION; step++) expect(MIGRATIONS[step]?.(migrated)).toEqual({});
    await browser.storage.local.set({ [SCHEMA_VERSION_KEY]: version });
    await newStore().list();
    expect(stored()).toEqual(migrated);
  });

  it(`migrates a mix of version ${version} records and records already at the current version`, async () => {
    await browser.storage.local.set(structuredClone(OLD));
    const store = newStore();
    await store.list();
    // A second account added at the current version, then the version lost with one realm's old record back.
    const { realmUrl, realmName, realmIconUrl, zulipVersion, featureLevel } = oldRecord(IAGO);
    await store.put({ realmUrl, realmName, realmIconUrl, zulipVersion, featureLevel, email: 'desdemona@zulip.com', userId: 6, apiKey: 'JTZZobwSnLzGkoMCGYyyiXcmslWzgzIP' });
    const iagoRealm = stored()[IAGO];
    await browser.storage.local.set({ [SCHEMA_VERSION_KEY]: version, [DESDEMONA]: oldRecord(DESDEMONA) });
    const accounts = await newStore().list();
    expect(accounts.map((account) => [account.realmUrl, account.email, account.isDefault])).toEqual([
      ['https://chat.example.com', 'iago@zulip.com', true],
      ['https://chat.example.com', 'desdemona@zulip.com', false],
      ['http://127.0.0.1:9991', 'desdemona@zulip.com', true],
    ]);
    expect(stored()[IAGO]).toEqual(iagoRealm);
    expect(stored()[DESDEMONA]).toEqual(asV3(DESDEMONA));
  });
});

describe('migration from schema 2 to 3', () => {
  it('is the step the fixture of version 2 needs: v2 records, as v2 wrote them, become the accounts of their realms', () => {
    const v2 = readFixture('storage-v2.json');
    const writes = MIGRATIONS[2]?.(v2) ?? {};
    expect(Object.keys(writes).sort()).toEqual([DESDEMONA, IAGO].sort());
    expect(writes[DESDEMONA]).toEqual({ realmUrl: 'http://127.0.0.1:9991', defaultUserId: 6, accounts: [v2[DESDEMONA]] });
    // What v2 checked survives: the refused key stays refused, with its date.
    expect(writes[DESDEMONA]).toMatchObject({ accounts: [{ credentialStatus: 'invalid', checkedAt: 1717261717000 }] });
  });
});
