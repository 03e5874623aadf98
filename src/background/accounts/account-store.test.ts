import { describe, expect, it } from 'vitest';
import browser from 'webextension-polyfill';
import { fake } from '../../../test/unit/fake-browser';
import { createAccountStore, type NewAccount } from './account-store';
import { CURRENT_SCHEMA_VERSION, SCHEMA_VERSION_KEY } from './account-migrations';
import { accountStorageKey } from './stored-realm';
import { deepFreeze } from './deep-freeze';
import { createKeySealer } from '../keys/key-sealer';
import { createTestLock, createTestSealer } from '../../../test/unit/background-deps';

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

type StoredRealm = { realmUrl: string; defaultUserId: number; accounts: Array<Record<string, unknown> & { userId: number; sealedApiKey: unknown }> };
const storedRealm = (realmUrl: string) => fake.browser.storage.local.snapshot()[accountStorageKey(realmUrl)] as StoredRealm;

function newStore(now = () => 1_000) {
  return createAccountStore(browser.storage.local, createTestSealer(), { now });
}

describe('account store', () => {
  it('reads a realm again each time from a storage whose values are not frozen: they may have changed in place', async () => {
    await newStore().put(account('https://a.example.com'));
    const key = accountStorageKey('https://a.example.com');
    const value = structuredClone(storedRealm('https://a.example.com'));
    const sameObject = { get: async () => ({ [key]: value }), set: async () => {}, remove: async () => {} };
    const store = createAccountStore(sameObject, createTestSealer());
    expect(await store.get('https://a.example.com')).toMatchObject({ email: 'iago@zulip.com' });
    value.accounts[0]!.email = 'othello@zulip.com';
    expect(await store.get('https://a.example.com')).toMatchObject({ email: 'othello@zulip.com' });
    value.realmUrl = 'https://b.example.com';
    expect(await store.get('https://a.example.com')).toBeNull();
  });

  it('hands out what it read from a frozen stored realm without letting a caller change what the next one reads', async () => {
    await newStore().put(account('https://a.example.com'));
    const key = accountStorageKey('https://a.example.com');
    const value = deepFreeze(structuredClone(storedRealm('https://a.example.com')));
    const frozen = { get: async () => ({ [key]: value }), set: async () => {}, remove: async () => {} };
    const store = createAccountStore(frozen, createTestSealer());
    const first = await store.getWithKey('https://a.example.com');
    first!.account.email = 'changed@zulip.com';
    expect(await store.getWithKey('https://a.example.com')).toMatchObject({ apiKey: KEY_A, account: { email: 'iago@zulip.com' } });
    const [listed] = await store.list();
    listed!.realmName = 'changed';
    expect(await store.list()).toMatchObject([{ email: 'iago@zulip.com', realmName: 'Org at https://a.example.com' }]);
  });

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

  it('refuses a sealed key moved into another account record, of another realm or of another user of the same realm', async () => {
    const store = newStore();
    await store.put(account('https://a.example.com'));
    await store.put(account('https://b.example.com', { apiKey: KEY_B }));
    await store.put(account('https://b.example.com', { email: 'desdemona@zulip.com', userId: 6, apiKey: KEY_B }));
    const a = storedRealm('https://a.example.com');
    const b = storedRealm('https://b.example.com');
    const sealedOfA = a.accounts[0]?.sealedApiKey;
    await browser.storage.local.set({
      [accountStorageKey('https://b.example.com')]: { ...b, accounts: b.accounts.map((record) => (record.userId === 5 ? { ...record, sealedApiKey: sealedOfA } : record)) },
    });
    await expect(store.getWithKey('https://b.example.com', { userId: 5 })).rejects.toThrow();
    const sealedOfIago = b.accounts.find((record) => record.userId === 5)?.sealedApiKey;
    await browser.storage.local.set({
      [accountStorageKey('https://b.example.com')]: { ...b, accounts: b.accounts.map((record) => (record.userId === 6 ? { ...record, sealedApiKey: sealedOfIago } : record)) },
    });
    await expect(store.getWithKey('https://b.example.com', { userId: 6 })).rejects.toThrow();
    expect((await store.getWithKey('https://b.example.com', { userId: 5 }))?.apiKey).toBe(KEY_B);
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

  it('a different person on the same realm is added beside the first, which stays the default', async () => {
    const store = newStore();
    const first = await store.put(account('https://a.example.com'));
    expect(first.saved.isDefault).toBe(true);
    const { saved, replaced } = await store.put(account('https://a.example.com', { email: 'desdemona@zulip.com', userId: 6, apiKey: KEY_B }));
    expect(replaced).toBeNull();
    expect(saved).toMatchObject({ email: 'desdemona@zulip.com', userId: 6, isDefault: false });
    expect((await store.list()).map((a) => [a.email, a.isDefault])).toEqual([
      ['iago@zulip.com', true],
      ['desdemona@zulip.com', false],
    ]);
    expect(Object.keys(fake.browser.storage.local.snapshot()).filter((key) => key.startsWith('account:'))).toEqual([accountStorageKey('https://a.example.com')]);
  });

  it('another user id with the same email (any case) replaces that account, says so, and takes over its being the default', async () => {
    let clock = 1_000;
    const store = newStore(() => clock);
    await store.put(account('https://a.example.com'));
    await store.put(account('https://a.example.com', { email: 'desdemona@zulip.com', userId: 6 }));
    clock = 2_000;
    const { saved, replaced } = await store.put(account('https://a.example.com', { email: 'IAGO@zulip.com', userId: 50, apiKey: KEY_B }));
    expect(replaced).toMatchObject({ email: 'iago@zulip.com', userId: 5, isDefault: true });
    expect(saved).toMatchObject({ email: 'IAGO@zulip.com', userId: 50, isDefault: true, addedAt: 2_000 });
    expect((await store.list()).map((a) => [a.userId, a.isDefault])).toEqual([
      [50, true],
      [6, false],
    ]);
    expect(await store.get('https://a.example.com', 5)).toBeNull();
  });

  it('the same email replacing an account that is not the default leaves the default alone', async () => {
    const store = newStore();
    await store.put(account('https://a.example.com'));
    await store.put(account('https://a.example.com', { email: 'desdemona@zulip.com', userId: 6 }));
    const { saved, replaced } = await store.put(account('https://a.example.com', { email: 'desdemona@zulip.com', userId: 60 }));
    expect(replaced?.userId).toBe(6);
    expect(saved.isDefault).toBe(false);
    expect((await store.get('https://a.example.com'))?.userId).toBe(5);
  });

  it('finds an account with its key by user id, by email in any case, and the default without either', async () => {
    const store = newStore();
    await store.put(account('https://a.example.com'));
    await store.put(account('https://a.example.com', { email: 'desdemona@zulip.com', userId: 6, apiKey: KEY_B }));
    expect((await store.getWithKey('https://a.example.com'))?.apiKey).toBe(KEY_A);
    expect((await store.getWithKey('https://a.example.com', {}))?.account.userId).toBe(5);
    expect((await store.getWithKey('https://a.example.com', { userId: 6 }))?.apiKey).toBe(KEY_B);
    expect((await store.getWithKey('https://a.example.com', { email: 'Desdemona@Zulip.com' }))?.account).toMatchObject({ userId: 6, isDefault: false });
    expect(await store.getWithKey('https://a.example.com', { userId: 7 })).toBeNull();
    expect(await store.getWithKey('https://a.example.com', { email: 'hamlet@zulip.com' })).toBeNull();
    expect(await store.getWithKey('https://b.example.com', { userId: 5 })).toBeNull();
    expect((await store.get('https://a.example.com', 6))?.email).toBe('desdemona@zulip.com');
    expect((await store.get('https://a.example.com'))?.email).toBe('iago@zulip.com');
  });

  it('setDefault moves the default within the realm only, and refuses an account that is not there', async () => {
    const store = newStore();
    await store.put(account('https://a.example.com'));
    await store.put(account('https://a.example.com', { email: 'desdemona@zulip.com', userId: 6, apiKey: KEY_B }));
    await store.put(account('https://b.example.com'));
    expect(await store.setDefault('https://a.example.com', 6)).toMatchObject({ userId: 6, isDefault: true });
    expect((await store.getWithKey('https://a.example.com'))?.apiKey).toBe(KEY_B);
    expect((await store.list()).map((a) => [a.realmUrl, a.userId, a.isDefault])).toEqual([
      ['https://a.example.com', 6, true],
      ['https://a.example.com', 5, false],
      ['https://b.example.com', 5, true],
    ]);
    expect(await store.setDefault('https://a.example.com', 7)).toBeNull();
    expect(await store.setDefault('https://c.example.com', 5)).toBeNull();
    expect((await store.get('https://a.example.com'))?.userId).toBe(6);
  });

  it('removing the default makes the next account in list order the default; removing the last forgets the realm', async () => {
    const store = newStore();
    await store.put(account('https://a.example.com', { email: 'zed@zulip.com', userId: 1 }));
    await store.put(account('https://a.example.com', { email: 'othello@zulip.com', userId: 2 }));
    await store.put(account('https://a.example.com', { email: 'desdemona@zulip.com', userId: 3 }));
    expect(await store.remove('https://a.example.com', 2)).toBe(true);
    expect((await store.get('https://a.example.com'))?.userId).toBe(1);
    expect(await store.remove('https://a.example.com', 1)).toBe(true);
    expect((await store.get('https://a.example.com'))).toMatchObject({ userId: 3, isDefault: true });
    expect(await store.remove('https://a.example.com', 1)).toBe(false);
    expect(await store.remove('https://a.example.com', 3)).toBe(true);
    expect(fake.browser.storage.local.snapshot()).not.toHaveProperty(accountStorageKey('https://a.example.com'));
    expect(await store.list()).toEqual([]);
  });

  it('lists by organization name, each organization\'s accounts together, its default first, then by email', async () => {
    const store = newStore();
    await store.put(account('https://z.example.com', { realmName: 'Alpha', email: 'b@z.com', userId: 1 }));
    await store.put(account('https://y.example.com', { realmName: 'Beta', email: 'a@y.com', userId: 1 }));
    await store.put(account('https://a.example.com', { realmName: 'Alpha', email: 'c@a.com', userId: 1 }));
    await store.put(account('https://z.example.com', { realmName: 'Alpha', email: 'a@z.com', userId: 2 }));
    await store.put(account('https://z.example.com', { realmName: 'Alpha', email: 'c@z.com', userId: 3 }));
    expect((await store.list()).map((a) => `${a.realmUrl} ${a.email}`)).toEqual([
      'https://a.example.com c@a.com',
      'https://z.example.com b@z.com',
      'https://z.example.com a@z.com',
      'https://z.example.com c@z.com',
      'https://y.example.com a@y.com',
    ]);
  });

  it('reads a realm as the store would have written it: accounts of another realm, duplicates and a missing default are set right', async () => {
    const store = newStore();
    await store.put(account('https://a.example.com'));
    await store.put(account('https://a.example.com', { email: 'desdemona@zulip.com', userId: 6 }));
    await store.put(account('https://b.example.com', { email: 'othello@zulip.com', userId: 9 }));
    const a = storedRealm('https://a.example.com');
    const fromB = storedRealm('https://b.example.com').accounts[0];
    const iago = a.accounts.find((record) => record.userId === 5);
    await browser.storage.local.set({
      [accountStorageKey('https://a.example.com')]: { ...a, defaultUserId: 99, accounts: [...a.accounts, fromB, { ...iago, email: 'other@zulip.com' }] },
    });
    expect((await store.list()).filter((x) => x.realmUrl === 'https://a.example.com').map((x) => [x.userId, x.isDefault])).toEqual([
      [6, true],
      [5, false],
    ]);
    expect(await store.getWithKey('https://a.example.com', { userId: 9 })).toBeNull();
  });

  it('loses no account under concurrent adds and removes', async () => {
    const store = newStore();
    const realms = Array.from({ length: 30 }, (_, i) => `https://r${i}.example.com`);
    await Promise.all(realms.map((realm) => store.put(account(realm))));
    await Promise.all([
      ...realms.filter((_, i) => i % 3 === 0).map((realm) => store.remove(realm, 5)),
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
    // Two accounts of one realm, each with its own date, beside one-account realms.
    const cases = [
      ['https://a.example.com', 1, 10 * hour - hour + 1],
      ['https://a.example.com', 2, 9 * hour],
      ['https://future.example.com', 1, 11 * hour],
      ['https://never.example.com', 1, null],
    ] as const;
    for (const [realm, userId, checkedAt] of cases) {
      await store.put(account(realm, { userId, email: `u${userId}@zulip.com` }));
      const stored = storedRealm(realm);
      const accounts = stored.accounts.map((record) => (record.userId === userId ? { ...record, checkedAt } : record));
      await browser.storage.local.set({ [accountStorageKey(realm)]: { ...stored, accounts } });
    }
    const identity = ({ realmUrl, userId }: { realmUrl: string; userId: number }) => `${realmUrl} ${userId}`;
    const [first, second] = await Promise.all([store.claimDueChecks(hour), store.claimDueChecks(hour)]);
    expect(first?.map(identity).sort()).toEqual(['https://a.example.com 2', 'https://future.example.com 1', 'https://never.example.com 1']);
    expect(second).toEqual([]);
    expect((await store.get('https://a.example.com', 2))?.checkedAt).toBe(10 * hour);
    expect((await store.get('https://a.example.com', 1))?.checkedAt).toBe(10 * hour - hour + 1);
    clock += hour - 1;
    expect(await store.claimDueChecks(hour)).toEqual([{ realmUrl: 'https://a.example.com', userId: 1 }]);
  });

  it('records a verdict against the key that was checked, and drops it when a new sign-in replaced that key', async () => {
    let clock = 1_000;
    const store = newStore(() => clock);
    await store.put(account('https://a.example.com'));
    await store.put(account('https://a.example.com', { email: 'desdemona@zulip.com', userId: 6 }));
    const checked = await store.getWithKey('https://a.example.com');
    clock = 2_000;
    expect(await store.recordCheck('https://a.example.com', 5, checked?.keyId ?? '', 'invalid')).toMatchObject({ credentialStatus: 'invalid', checkedAt: 2_000 });
    expect(await store.get('https://a.example.com', 6)).toMatchObject({ credentialStatus: 'valid', checkedAt: 1_000 });
    clock = 3_000;
    expect(await store.recordCheck('https://a.example.com', 5, checked?.keyId ?? '', null)).toMatchObject({ credentialStatus: 'invalid', checkedAt: 3_000 });
    // The key of one account says nothing about another's.
    expect(await store.recordCheck('https://a.example.com', 6, checked?.keyId ?? '', 'invalid')).toMatchObject({ userId: 6, credentialStatus: 'valid', checkedAt: 1_000 });
    const beforeRenewal = await store.getWithKey('https://a.example.com');
    await store.put(account('https://a.example.com', { apiKey: KEY_B }));
    expect(await store.recordCheck('https://a.example.com', 5, beforeRenewal?.keyId ?? '', 'user-deactivated')).toMatchObject({ credentialStatus: 'valid', checkedAt: 3_000 });
    expect(await store.recordCheck('https://gone.example.com', 5, 'x', 'invalid')).toBeNull();
    expect(await store.recordCheck('https://a.example.com', 7, 'x', 'invalid')).toBeNull();
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
