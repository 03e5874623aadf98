// Upgrading storage written by schema version 1 (test/fixtures/storage-v1.json, written by the v1
// account store itself) to the current schema.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import browser from 'webextension-polyfill';
import { fake } from '../../test/unit/fake-browser';
import {
  accountStorageKey,
  createAccountStore,
  CURRENT_SCHEMA_VERSION,
  MIGRATIONS,
  SCHEMA_VERSION_KEY,
  type StorageAreaLike,
} from './account-store';
import { createTestSealer } from '../../test/unit/background-deps';

interface V1Record {
  realmUrl: string;
  realmName: string;
  realmIconUrl: string | null;
  email: string;
  userId: number;
  zulipVersion: string;
  featureLevel: number;
  addedAt: number;
  sealedApiKey: { iv: string; data: string };
}

const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/storage-v1.json', import.meta.url), 'utf8')) as {
  storageLocal: Record<string, unknown>;
};
const V1: Readonly<Record<string, unknown>> = fixture.storageLocal;
const IAGO = accountStorageKey('https://chat.example.com');
const DESDEMONA = accountStorageKey('http://127.0.0.1:9991');
const API_KEYS = new Map([
  [IAGO, 'gjA04ZYcqXKalvYMA8OeXSfzUOLrtbZv'],
  [DESDEMONA, 'JTZZobwSnLzGkoMCGYyyiXcmslWzgzIP'],
]);
/** What v1 itself ignored: a record copied under another realm's key, a damaged record, a key not ours. */
const IGNORED = ['account:https://evil.example.com', 'account:https://broken.example.com', 'unrelated'];

const v1Record = (key: string) => V1[key] as V1Record;
const newStore = (storage: StorageAreaLike = browser.storage.local) => createAccountStore(storage, createTestSealer());
const stored = () => fake.browser.storage.local.snapshot();

/**
 * The fixture with sealed keys this test can open. A sealed key opens only with the sealing key of
 * the browser profile that sealed it (a non-extractable CryptoKey in that profile's IndexedDB), so
 * the blobs in the fixture cannot be opened here, by design. These are sealed now by the real
 * sealing path, under this test's sealing key and each account's own binding, then put into the
 * v1 records in place of the originals; nothing else in the records changes.
 */
async function v1WithOpenableKeys(): Promise<Record<string, unknown>> {
  const scratch = new Map<string, unknown>();
  const scratchArea: StorageAreaLike = {
    get: async () => Object.fromEntries(scratch),
    set: async (items) => Object.entries(items).forEach(([key, value]) => scratch.set(key, value)),
    remove: async () => undefined,
  };
  const storage = structuredClone(V1) as Record<string, unknown>;
  for (const [key, apiKey] of API_KEYS) {
    const { addedAt: _addedAt, sealedApiKey: _sealed, ...fields } = v1Record(key);
    await newStore(scratchArea).put({ ...fields, apiKey });
    const { sealedApiKey } = scratch.get(key) as V1Record;
    storage[key] = { ...v1Record(key), sealedApiKey };
  }
  return storage;
}

describe('migration from schema 1 (stored fixture)', () => {
  it('keeps every account as v1 wrote it, now valid and never checked, and the keys still open', async () => {
    await browser.storage.local.set(await v1WithOpenableKeys());
    const store = newStore();
    const accounts = await store.list();
    expect(accounts).toEqual(
      [IAGO, DESDEMONA].map((key) => {
        const { sealedApiKey: _sealed, ...fields } = v1Record(key);
        return { ...fields, credentialStatus: 'valid', checkedAt: null };
      }),
    );
    for (const [key, apiKey] of API_KEYS) expect((await store.getWithKey(v1Record(key).realmUrl))?.apiKey).toBe(apiKey);
    expect(stored()[SCHEMA_VERSION_KEY]).toBe(CURRENT_SCHEMA_VERSION);
  });

  it('rewrites the v1 records with their sealed keys untouched, and leaves what v1 ignored exactly as it was', async () => {
    await browser.storage.local.set(structuredClone(V1));
    await newStore().list();
    const after = stored();
    for (const key of API_KEYS.keys()) expect(after[key]).toEqual({ ...v1Record(key), credentialStatus: 'valid', checkedAt: null });
    for (const key of IGNORED) expect(after[key]).toEqual(V1[key]);
    expect(Object.keys(after).sort()).toEqual(Object.keys(V1).sort());
  });

  it('still ignores a record planted under another realm\'s key, and does not open its key there', async () => {
    await browser.storage.local.set(await v1WithOpenableKeys());
    const store = newStore();
    expect((await store.list()).map((account) => account.realmUrl)).toEqual(['https://chat.example.com', 'http://127.0.0.1:9991']);
    expect(await store.getWithKey('https://evil.example.com')).toBeNull();
    expect(await store.getWithKey('https://broken.example.com')).toBeNull();
  });

  it('writes records and version in one set(), so an interrupted upgrade leaves version 1 untouched and a rerun completes it', async () => {
    await browser.storage.local.set(structuredClone(V1));
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
    expect(stored()).toEqual(V1);
    failNext = false;
    expect(await store.list()).toHaveLength(2);
    expect(writes).toHaveLength(2);
    expect(writes[1]).toEqual(writes[0]);
    expect(Object.keys(writes[1] ?? {}).sort()).toEqual([DESDEMONA, IAGO, SCHEMA_VERSION_KEY].sort());
  });

  it('gives the same result when run again over records it already migrated', async () => {
    await browser.storage.local.set(structuredClone(V1));
    await newStore().list();
    const migrated = stored();
    // As if the version had been lost after the records were written: the step rewrites nothing.
    expect(MIGRATIONS[1]?.(migrated)).toEqual({});
    await browser.storage.local.set({ [SCHEMA_VERSION_KEY]: 1 });
    await newStore().list();
    expect(stored()).toEqual(migrated);
  });

  it('migrates a mix of v1 records and records already at version 2', async () => {
    await browser.storage.local.set(structuredClone(V1));
    await newStore().list();
    const iagoMigrated = stored()[IAGO];
    await browser.storage.local.set({ [SCHEMA_VERSION_KEY]: 1, [DESDEMONA]: v1Record(DESDEMONA) });
    const accounts = await newStore().list();
    expect(accounts.map((account) => [account.email, account.credentialStatus, account.checkedAt])).toEqual([
      ['iago@zulip.com', 'valid', null],
      ['desdemona@zulip.com', 'valid', null],
    ]);
    expect(stored()[IAGO]).toEqual(iagoMigrated);
  });
});
