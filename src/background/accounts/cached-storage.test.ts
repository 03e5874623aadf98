import type { StorageAreaLike } from '../../shared/storage-area';
import { describe, expect, it } from 'vitest';
import browser from 'webextension-polyfill';
import { createTestDeps } from '../../../test/unit/background-deps';
import { EXTENSION_ID, EXTENSION_ORIGIN, type FakeSender } from '../../../test/unit/fake-browser';
import type { Reply, Request, RequestType } from '../../shared/messages';
import { accountStorageKey } from './stored-realm';
import { createCachedStorageArea } from './cached-storage';
import { createMessageRouter } from '../messaging/message-router';

const REALM = 'https://a.example.com';
const KEY_A = 'gjA04ZYcqXKalvYMA8OeXSfzUOLrtbZv';
const KEY_B = 'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0Ed';
const PASSPHRASE = 'correct horse battery';

/** storage.local, counting the reads that reach it. */
function countedLocal() {
  const local = browser.storage.local;
  const reads: Array<string | string[] | null | undefined> = [];
  const area: StorageAreaLike = {
    get: (keys) => {
      reads.push(keys);
      return local.get(keys);
    },
    set: (items) => local.set(items),
    remove: (keys) => local.remove(keys),
  };
  return { area, reads };
}

const cached = (area: StorageAreaLike) => createCachedStorageArea(area, browser.storage.local.onChanged);

describe('cached storage area', () => {
  it('answers a key read before from memory, the same frozen value each time', async () => {
    await browser.storage.local.set({ k: { n: 1, inner: { m: [1] } } });
    const { area, reads } = countedLocal();
    const storage = cached(area);
    const first = (await storage.get('k')).k as { n: number; inner: { m: number[] } };
    expect(() => (first.n = 2)).toThrow(TypeError);
    expect(() => first.inner.m.push(2)).toThrow(TypeError);
    const second = (await storage.get('k')).k;
    expect(second).toBe(first);
    expect(second).toEqual({ n: 1, inner: { m: [1] } });
    expect(await storage.get('absent')).toEqual({});
    expect(await storage.get('absent')).toEqual({});
    expect(reads).toEqual(['k', 'absent']);
  });

  it('does not keep a value that cannot be frozen: it is read from storage each time', async () => {
    const reads: Array<string | string[] | null | undefined> = [];
    const area: StorageAreaLike = {
      get: async (keys) => {
        reads.push(keys);
        return { k: new Uint8Array([1, 2]), other: 1 };
      },
      set: async () => {},
      remove: async () => {},
    };
    const storage = cached(area);
    expect((await storage.get('k')).k).toEqual(new Uint8Array([1, 2]));
    expect((await storage.get('k')).k).toEqual(new Uint8Array([1, 2]));
    await storage.get(null);
    await storage.get(null);
    expect(await storage.get('other')).toEqual({ other: 1 });
    expect(reads).toEqual(['k', 'k', null, null]);
  });

  it('reads again what another context changed or removed, and only that', async () => {
    await browser.storage.local.set({ k: 1, other: 1 });
    const { area, reads } = countedLocal();
    const storage = cached(area);
    await storage.get('k');
    await storage.get('other');
    await browser.storage.local.set({ k: 2 });
    expect(await storage.get('k')).toEqual({ k: 2 });
    await browser.storage.local.remove('k');
    expect(await storage.get('k')).toEqual({});
    await storage.get('other');
    expect(reads).toEqual(['k', 'other', 'k', 'k']);
  });

  it('ignores changes to other storage areas', async () => {
    await browser.storage.local.set({ k: 1 });
    const { area, reads } = countedLocal();
    const storage = cached(area);
    await storage.get('k');
    await browser.storage.session.set({ k: 2 });
    expect(await storage.get('k')).toEqual({ k: 1 });
    expect(reads).toEqual(['k']);
  });

  it('does not keep a read that a change overlapped: it may hold the value from before', async () => {
    await browser.storage.local.set({ k: 1 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow: StorageAreaLike = {
      get: async (keys) => {
        const read = await browser.storage.local.get(keys);
        await held;
        return read;
      },
      set: (items) => browser.storage.local.set(items),
      remove: (keys) => browser.storage.local.remove(keys),
    };
    const storage = cached(slow);
    const overlapped = storage.get('k');
    await browser.storage.local.set({ k: 2 });
    await Promise.resolve();
    release();
    expect(await overlapped).toEqual({ k: 1 });
    expect(await storage.get('k')).toEqual({ k: 2 });
  });

  it('forgets what it writes or removes itself at once, before storage.onChanged tells', async () => {
    const { area, reads } = countedLocal();
    const storage = cached(area);
    await storage.get('k');
    await storage.set({ k: 1 });
    expect(await storage.get('k')).toEqual({ k: 1 });
    await storage.remove('k');
    expect(await storage.get('k')).toEqual({});
    expect(reads).toEqual(['k', 'k', 'k']);
  });

  it('keeps every item a read of everything returned', async () => {
    await browser.storage.local.set({ a: 1, b: 2 });
    const { area, reads } = countedLocal();
    const storage = cached(area);
    await storage.get(null);
    expect(await storage.get('a')).toEqual({ a: 1 });
    expect(await storage.get('c')).toEqual({});
    expect(reads).toEqual([null, 'c']);
  });

  it('answers a read of everything from memory until any item changes, then reads everything again', async () => {
    await browser.storage.local.set({ a: 1, b: 2 });
    const { area, reads } = countedLocal();
    const storage = cached(area);
    await storage.get('absent');
    expect(await storage.get(null)).toEqual({ a: 1, b: 2 });
    const copy = await storage.get(null);
    expect(copy).toEqual({ a: 1, b: 2 });
    copy.a = 9;
    expect(await storage.get(null)).toEqual({ a: 1, b: 2 });
    await browser.storage.local.set({ c: 3 });
    expect(await storage.get(null)).toEqual({ a: 1, b: 2, c: 3 });
    await storage.remove('a');
    expect(await storage.get(null)).toEqual({ b: 2, c: 3 });
    expect(await storage.get(null)).toEqual({ b: 2, c: 3 });
    expect(reads).toEqual(['absent', null, null, null]);
  });
});

describe('credentials.get with the records kept in memory', () => {
  const popup: FakeSender = { id: EXTENSION_ID, url: `${EXTENSION_ORIGIN}/src/popup/popup.html`, origin: EXTENSION_ORIGIN };
  const page: FakeSender = { id: EXTENSION_ID, url: `${REALM}/`, tab: { id: 7, url: `${REALM}/` }, frameId: 0 };

  function startBackground() {
    const deps = createTestDeps();
    const route = createMessageRouter(deps, { id: EXTENSION_ID, baseUrl: `${EXTENSION_ORIGIN}/` });
    const send = <T extends RequestType>(request: Extract<Request, { type: T }>, sender = popup) => route(request, sender) as Promise<Reply<T>>;
    return { deps, send };
  }
  const signedIn = (apiKey: string, userId = 5) => ({ realmUrl: REALM, realmName: 'A', realmIconUrl: null, email: `u${userId}@zulip.com`, userId, zulipVersion: '10.0', featureLevel: 371, apiKey });
  const credentials = (send: ReturnType<typeof startBackground>['send']) => send({ type: 'credentials.get' }, page);

  it('answers what another context stored since, and nothing once it removed the account', async () => {
    const background = startBackground();
    await background.deps.accounts.put(signedIn(KEY_A));
    expect(await credentials(background.send)).toMatchObject({ ok: true, credentials: { apiKey: KEY_A } });
    // The same extension's other context (another background instance, as the popup's writes look to this one).
    const other = startBackground();
    await other.deps.accounts.put(signedIn(KEY_B));
    expect(await credentials(background.send)).toMatchObject({ ok: true, credentials: { apiKey: KEY_B } });
    await other.deps.accounts.remove(REALM, 5);
    expect(await credentials(background.send)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('answers a record altered in storage as the store reads it: a sealed key moved to another user does not open', async () => {
    const background = startBackground();
    await background.deps.accounts.put(signedIn(KEY_A));
    expect(await credentials(background.send)).toMatchObject({ ok: true });
    const key = accountStorageKey(REALM);
    const stored = (await browser.storage.local.get(key))[key] as { accounts: Array<{ userId: number }>; defaultUserId: number };
    await browser.storage.local.set({ [key]: { ...stored, defaultUserId: 6, accounts: stored.accounts.map((a) => ({ ...a, userId: 6 })) } });
    expect(await credentials(background.send)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('follows the lock: re-sealed when it is turned on, LOCKED when locked, open again when unlocked, re-sealed when turned off', async () => {
    const background = startBackground();
    await background.deps.accounts.put(signedIn(KEY_A));
    const key = accountStorageKey(REALM);
    const sealed = async () => JSON.stringify((await browser.storage.local.get(key))[key]);
    const before = await sealed();
    expect(await credentials(background.send)).toMatchObject({ ok: true, credentials: { apiKey: KEY_A } });
    expect(await background.send({ type: 'lock.enable', passphrase: PASSPHRASE, idleMinutes: 15 })).toMatchObject({ ok: true });
    expect(await sealed()).not.toBe(before);
    expect(await credentials(background.send)).toMatchObject({ ok: true, credentials: { apiKey: KEY_A } });
    expect(await background.send({ type: 'lock.lockNow' })).toMatchObject({ ok: true });
    expect(await credentials(background.send)).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(await background.send({ type: 'lock.unlock', passphrase: PASSPHRASE })).toMatchObject({ ok: true });
    expect(await credentials(background.send)).toMatchObject({ ok: true, credentials: { apiKey: KEY_A } });
    const locked = await sealed();
    expect(await background.send({ type: 'lock.disable', passphrase: PASSPHRASE })).toMatchObject({ ok: true });
    expect(await sealed()).not.toBe(locked);
    expect(await credentials(background.send)).toMatchObject({ ok: true, credentials: { apiKey: KEY_A } });
  });
});
