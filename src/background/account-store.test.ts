import { describe, expect, it } from 'vitest';
import browser from 'webextension-polyfill';
import { fake } from '../../test/unit/fake-browser';
import { accountStorageKey, createAccountStore, CURRENT_SCHEMA_VERSION, SCHEMA_VERSION_KEY, type NewAccount } from './account-store';
import { createKeySealer } from './key-sealer';
import { createTestLock, createTestSealer } from '../../test/unit/background-deps';

const KEY_A = 'gjA04ZYcqXKalvYMA8OeXSfzUOLrtbZv';
const KEY_B = 'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0Ed';

function account(realmUrl: string, overrides: Partial<NewAccount> = {}): NewAccount {
  return {
    realmUrl,
    realmName: `Org at ${realmUrl}`,
    realmIconUrl: null,
    email: 'iago@zulip.com',
    userId: 5,
    zulipVersion: '10.0',
    featureLevel: 371,
    apiKey: KEY_A,
    ...overrides,
  };
}

function newStore(now = () => 1_000) {
  return createAccountStore(browser.storage.local, createTestSealer(), { now });
}

describe('account store', () => {
  it('keeps one storage key per realm and a schema version', async () => {
    const store = newStore();
    await store.put(account('https://a.example.com'));
    await store.put(account('https://b.example.com'));
    const keys = Object.keys(fake.browser.storage.local.snapshot()).sort();
    expect(keys).toEqual([accountStorageKey('https://a.example.com'), accountStorageKey('https://b.example.com'), SCHEMA_VERSION_KEY].sort());
    expect(fake.browser.storage.local.snapshot()[SCHEMA_VERSION_KEY]).toBe(CURRENT_SCHEMA_VERSION);
  });

  it('stores the API key sealed, never in plaintext, and opens it again', async () => {
    const store = newStore();
    await store.put(account('https://a.example.com'));
    expect(JSON.stringify(fake.browser.storage.local.snapshot())).not.toContain(KEY_A);
    const found = await store.getWithKey('https://a.example.com');
    expect(found?.apiKey).toBe(KEY_A);
    expect(found?.account).not.toHaveProperty('apiKey');
    expect(found?.account).not.toHaveProperty('sealedApiKey');
  });

  it('refuses a sealed key moved into another account record', async () => {
    const store = newStore();
    await store.put(account('https://a.example.com'));
    await store.put(account('https://b.example.com', { apiKey: KEY_B }));
    const stored = fake.browser.storage.local.snapshot();
    const a = stored[accountStorageKey('https://a.example.com')] as { sealedApiKey: unknown };
    const b = stored[accountStorageKey('https://b.example.com')] as Record<string, unknown>;
    await browser.storage.local.set({ [accountStorageKey('https://b.example.com')]: { ...b, sealedApiKey: a.sealedApiKey } });
    await expect(store.getWithKey('https://b.example.com')).rejects.toThrow();
  });

  it('a whole record copied under another realm\'s key opens nowhere but its own key', async () => {
    // Content scripts can write storage.local: a compromised page on realm B must not get realm A's key.
    const store = newStore();
    await store.put(account('https://a.example.com'));
    const record = fake.browser.storage.local.snapshot()[accountStorageKey('https://a.example.com')];
    await browser.storage.local.set({ [accountStorageKey('https://b.example.com')]: record });
    expect(await store.getWithKey('https://b.example.com')).toBeNull();
    expect(await store.get('https://b.example.com')).toBeNull();
    expect((await store.list()).map((a) => a.realmUrl)).toEqual(['https://a.example.com']);
  });

  it('signing in again as the same person replaces the key and keeps the date added', async () => {
    let clock = 1_000;
    const store = newStore(() => clock);
    await store.put(account('https://a.example.com'));
    clock = 2_000;
    const { saved, replaced } = await store.put(account('https://a.example.com', { apiKey: KEY_B }));
    expect(replaced).toBeNull();
    expect(saved.addedAt).toBe(1_000);
    expect((await store.getWithKey('https://a.example.com'))?.apiKey).toBe(KEY_B);
  });

  it('a different person on the same realm replaces the account and reports whom it replaced', async () => {
    const store = newStore();
    await store.put(account('https://a.example.com'));
    const { saved, replaced } = await store.put(account('https://a.example.com', { email: 'desdemona@zulip.com', userId: 6, apiKey: KEY_B }));
    expect(replaced?.email).toBe('iago@zulip.com');
    expect(saved.email).toBe('desdemona@zulip.com');
    expect(await store.list()).toHaveLength(1);
  });

  it('loses no account under concurrent adds and removes', async () => {
    const store = newStore();
    const realms = Array.from({ length: 30 }, (_, i) => `https://r${i}.example.com`);
    await Promise.all(realms.map((realm) => store.put(account(realm))));
    await Promise.all([
      ...realms.filter((_, i) => i % 3 === 0).map((realm) => store.remove(realm)),
      ...realms.filter((_, i) => i % 3 === 1).map((realm) => store.put(account(realm, { apiKey: KEY_B }))),
    ]);
    const listed = (await store.list()).map((a) => a.realmUrl).sort();
    expect(listed).toEqual(realms.filter((_, i) => i % 3 !== 0).sort());
    for (const [i, realm] of realms.entries()) {
      if (i % 3 === 1) expect((await store.getWithKey(realm))?.apiKey).toBe(KEY_B);
    }
  });

  it('ignores records that are not accounts or are damaged', async () => {
    const store = newStore();
    await store.put(account('https://a.example.com'));
    await browser.storage.local.set({ [accountStorageKey('https://broken.example.com')]: { realmUrl: 'x' }, unrelated: 1 });
    expect((await store.list()).map((a) => a.realmUrl)).toEqual(['https://a.example.com']);
    expect(await store.get('https://broken.example.com')).toBeNull();
  });

  it('runs the migrations from the stored schema version up to the current one, each in one write', async () => {
    await browser.storage.local.set({ [SCHEMA_VERSION_KEY]: CURRENT_SCHEMA_VERSION - 2, legacy: 'old shape' });
    const ran: number[] = [];
    const step = (from: number) => (stored: Record<string, unknown>) => {
      ran.push(from);
      return { legacy: `${String(stored.legacy)} → ${from + 1}` };
    };
    const writes: unknown[] = [];
    const storage = {
      get: (keys?: string | string[] | null) => browser.storage.local.get(keys),
      set: (items: Record<string, unknown>) => (writes.push(items), browser.storage.local.set(items)),
      remove: (keys: string | string[]) => browser.storage.local.remove(keys),
    };
    const migrations = { [CURRENT_SCHEMA_VERSION - 2]: step(CURRENT_SCHEMA_VERSION - 2), [CURRENT_SCHEMA_VERSION - 1]: step(CURRENT_SCHEMA_VERSION - 1) };
    const store = createAccountStore(storage, createTestSealer(), { migrations });
    expect(await store.list()).toEqual([]);
    expect(ran).toEqual([CURRENT_SCHEMA_VERSION - 2, CURRENT_SCHEMA_VERSION - 1]);
    expect(writes).toEqual([
      { legacy: `old shape → ${CURRENT_SCHEMA_VERSION - 1}`, [SCHEMA_VERSION_KEY]: CURRENT_SCHEMA_VERSION - 1 },
      { legacy: `old shape → ${CURRENT_SCHEMA_VERSION - 1} → ${CURRENT_SCHEMA_VERSION}`, [SCHEMA_VERSION_KEY]: CURRENT_SCHEMA_VERSION },
    ]);
  });

  it('a sign-in stores the account as valid and checked at that moment', async () => {
    const { saved } = await newStore(() => 5_000).put(account('https://a.example.com'));
    expect(saved).toMatchObject({ credentialStatus: 'valid', checkedAt: 5_000 });
  });

  it('claims the checks that are due, once: never checked, an hour old or more, or dated in the future', async () => {
    const hour = 3_600_000;
    let clock = 10 * hour;
    const store = newStore(() => clock);
    for (const [realm, checkedAt] of [['https://fresh.example.com', 10 * hour - hour + 1], ['https://old.example.com', 9 * hour], ['https://future.example.com', 11 * hour], ['https://never.example.com', null]] as const) {
      await store.put(account(realm));
      const key = accountStorageKey(realm);
      const record = fake.browser.storage.local.snapshot()[key] as Record<string, unknown>;
      await browser.storage.local.set({ [key]: { ...record, checkedAt } });
    }
    const [first, second] = await Promise.all([store.claimDueChecks(hour), store.claimDueChecks(hour)]);
    expect(first?.sort()).toEqual(['https://future.example.com', 'https://never.example.com', 'https://old.example.com']);
    expect(second).toEqual([]);
    expect((await store.get('https://old.example.com'))?.checkedAt).toBe(10 * hour);
    clock += hour - 1;
    expect(await store.claimDueChecks(hour)).toEqual(['https://fresh.example.com']);
  });

  it('records a verdict against the key that was checked, and drops it when a new sign-in replaced that key', async () => {
    let clock = 1_000;
    const store = newStore(() => clock);
    await store.put(account('https://a.example.com'));
    const checked = await store.getWithKey('https://a.example.com');
    clock = 2_000;
    expect(await store.recordCheck('https://a.example.com', checked?.keyId ?? '', 'invalid')).toMatchObject({ credentialStatus: 'invalid', checkedAt: 2_000 });
    clock = 3_000;
    expect(await store.recordCheck('https://a.example.com', checked?.keyId ?? '', null)).toMatchObject({ credentialStatus: 'invalid', checkedAt: 3_000 });
    const beforeRenewal = await store.getWithKey('https://a.example.com');
    await store.put(account('https://a.example.com', { apiKey: KEY_B }));
    expect(await store.recordCheck('https://a.example.com', beforeRenewal?.keyId ?? '', 'user-deactivated')).toMatchObject({ credentialStatus: 'valid', checkedAt: 3_000 });
    expect(await store.recordCheck('https://gone.example.com', 'x', 'invalid')).toBeNull();
  });

  it('refuses data written by a newer version instead of misreading it', async () => {
    await browser.storage.local.set({ [SCHEMA_VERSION_KEY]: CURRENT_SCHEMA_VERSION + 1 });
    await expect(newStore().list()).rejects.toThrow(/newer version/);
  });

  it('creates one sealing key even when first used concurrently', async () => {
    const one = createTestLock();
    const other = createTestLock();
    const [a, b] = await Promise.all([one.sealingKeys(), other.sealingKeys()]);
    const sealed = await createKeySealer(one.sealingKeys).seal('secret', 'x');
    expect(await createKeySealer(async () => b).open(sealed, 'x')).toBe('secret');
    expect(a.seal.extractable).toBe(false);
  });
});
