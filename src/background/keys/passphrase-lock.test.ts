// The passphrase lock through the message router, with the real account store, sealing and
// IndexedDB (fake-indexeddb): turning it on, off and changing it with accounts present, locking,
// unlocking, throttling, idle locking by the alarm, and a background stopped halfway through a move.
import type { StorageAreaLike } from '../../shared/storage-area';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import browser from 'webextension-polyfill';
import { createTestDeps, POPUP_SENDER as popup } from '../../../test/unit/background-deps';
import { EXTENSION_ID, EXTENSION_ORIGIN, fake, type FakeSender } from '../../../test/unit/fake-browser';
import type { Request, RequestType, Reply } from '../../shared/messages';
import { accountStorageKey } from '../accounts/stored-realm';
import type { BackgroundDeps } from '../deps';
import { createMessageRouter } from '../messaging/message-router';
import { PBKDF2_ITERATIONS, unwrapKeyBytes, wrapKeyBytes } from './passphrase-key';
import { IDLE_LOCK_ALARM, LOCK_DEADLINE, UNLOCKED_KEY } from './passphrase-lock';
import { unlockDelayMs } from './passphrase-attempts';
import { createKeyVault } from './sealing-key';

const REALM_A = 'https://a.example.com';
const REALM_B = 'https://b.example.com';
const KEY_A = 'gjA04ZYcqXKalvYMA8OeXSfzUOLrtbZv';
const KEY_B = 'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0Ed';
const PASSPHRASE = 'correct horse battery';
const MINUTE = 60_000;

const contentScriptOn = (realm: string): FakeSender => ({ id: EXTENSION_ID, url: `${realm}/`, tab: { id: 7, url: `${realm}/` }, frameId: 0 });

let clock: number;
const now = () => clock;

/** One background: its dependencies and router. A new one over the same storage is a restarted background. */
function startBackground(storage?: StorageAreaLike) {
  const deps = createTestDeps({ now, ...(storage ? { storage } : {}) });
  const route = createMessageRouter(deps, { id: EXTENSION_ID, baseUrl: `${EXTENSION_ORIGIN}/` });
  const send = <T extends RequestType>(request: Extract<Request, { type: T }>, sender = popup) => route(request, sender) as Promise<Reply<T>>;
  return { deps, send };
}

async function addAccounts(deps: BackgroundDeps) {
  for (const [realmUrl, apiKey, userId] of [[REALM_A, KEY_A, 5], [REALM_B, KEY_B, 6]] as const) {
    await deps.accounts.put({ realmUrl, realmName: realmUrl, realmIconUrl: null, email: `u${userId}@zulip.com`, userId, zulipVersion: '10.0', featureLevel: 371, apiKey });
  }
}

type Send = ReturnType<typeof startBackground>['send'];
const keyOf = async (send: Send, realm: string, sender = popup) => {
  const reply = await send({ type: 'credentials.get', realm }, sender);
  return reply.ok ? reply.credentials.apiKey : reply.error.code;
};
const vaultNames = async () => Object.keys(await createKeyVault().read()).sort();
const sealedKeys = async () => {
  const stored = await browser.storage.local.get([accountStorageKey(REALM_A), accountStorageKey(REALM_B)]);
  return Object.values(stored).flatMap((record) => (record as { accounts: Array<{ sealedApiKey: unknown }> }).accounts.map((account) => JSON.stringify(account.sealedApiKey)));
};

beforeEach(() => {
  clock = 1_000_000;
});

describe('key derivation', () => {
  it('derives with PBKDF2-SHA256 at 600,000 iterations or more, with a fresh random salt each time', async () => {
    expect(PBKDF2_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    const derive = vi.spyOn(crypto.subtle, 'deriveKey');
    try {
      const raw = crypto.getRandomValues(new Uint8Array(32));
      const [one, two] = [await wrapKeyBytes(raw, PASSPHRASE, 15), await wrapKeyBytes(raw, PASSPHRASE, 15)];
      expect(one.iterations).toBeGreaterThanOrEqual(600_000);
      expect(one.salt).not.toBe(two.salt);
      expect(one.data).not.toBe(two.data);
      const params = derive.mock.calls.map(([algorithm]) => algorithm as Pbkdf2Params);
      expect(params).toHaveLength(2);
      for (const param of params) {
        expect(param).toMatchObject({ name: 'PBKDF2', hash: 'SHA-256' });
        expect(param.iterations).toBeGreaterThanOrEqual(600_000);
        expect(new Uint8Array(param.salt as ArrayBuffer).byteLength).toBe(16);
      }
    } finally {
      derive.mockRestore();
    }
  });

  it('unwraps with the passphrase it was wrapped with, and with no other', async () => {
    const raw = crypto.getRandomValues(new Uint8Array(32));
    const wrapped = await wrapKeyBytes(raw, PASSPHRASE, 15);
    expect(await unwrapKeyBytes(wrapped, PASSPHRASE)).toEqual(raw);
    expect(await unwrapKeyBytes(wrapped, `${PASSPHRASE} `)).toBeNull();
    expect(await unwrapKeyBytes({ ...wrapped, iterations: 1 }, PASSPHRASE)).toEqual(raw);
  });
});

describe('turning the lock on, changing it and off, with accounts present', () => {
  it('keeps every key readable through each step, and a wrong passphrase opens nothing', async () => {
    const { deps, send } = startBackground();
    await addAccounts(deps);
    expect(await vaultNames()).toEqual(['sealing-key']);
    const plainSealed = await sealedKeys();

    expect(await send({ type: 'lock.enable', passphrase: PASSPHRASE, idleMinutes: 15 })).toEqual({
      ok: true,
      lock: { enabled: true, locked: false, idleMinutes: 15, retryAt: null },
    });
    // The non-extractable key is gone: only the wrapped one is left, and every account was sealed again.
    expect(await vaultNames()).toEqual(['wrapped-key']);
    expect((await sealedKeys()).some((sealed) => plainSealed.includes(sealed))).toBe(false);
    expect(await keyOf(send, REALM_A)).toBe(KEY_A);
    expect(await keyOf(send, REALM_B)).toBe(KEY_B);

    expect((await send({ type: 'lock.lockNow' })).ok).toBe(true);
    expect(await keyOf(send, REALM_A)).toBe('LOCKED');
    expect(await send({ type: 'lock.unlock', passphrase: 'not it at all' })).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE', message: 'That passphrase is not correct.' } });
    expect(await keyOf(send, REALM_A)).toBe('LOCKED');
    expect(await send({ type: 'lock.unlock', passphrase: PASSPHRASE })).toMatchObject({ ok: true, lock: { locked: false } });
    expect(await keyOf(send, REALM_B)).toBe(KEY_B);

    const next = 'a whole new passphrase';
    expect(await send({ type: 'lock.change', current: 'not it at all', next })).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE' } });
    expect(await send({ type: 'lock.change', current: PASSPHRASE, next })).toMatchObject({ ok: true, lock: { enabled: true, locked: false } });
    expect(await keyOf(send, REALM_A)).toBe(KEY_A);
    await send({ type: 'lock.lockNow' });
    expect(await send({ type: 'lock.unlock', passphrase: PASSPHRASE })).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE' } });
    expect(await send({ type: 'lock.unlock', passphrase: next })).toMatchObject({ ok: true });

    expect(await send({ type: 'lock.disable', passphrase: PASSPHRASE })).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE' } });
    expect(await send({ type: 'lock.disable', passphrase: next })).toEqual({ ok: true, lock: { enabled: false, locked: false, idleMinutes: 15, retryAt: null } });
    expect(await vaultNames()).toEqual(['sealing-key']);
    const key = (await createKeyVault().read())['sealing-key'];
    expect(key?.extractable).toBe(false);
    // The unlocked key left storage.session with the lock.
    expect(await browser.storage.session.get([UNLOCKED_KEY, LOCK_DEADLINE])).toEqual({});
    expect(await keyOf(send, REALM_A)).toBe(KEY_A);
    expect(await keyOf(send, REALM_B)).toBe(KEY_B);
    // A background started afresh reads them too.
    expect(await keyOf(startBackground().send, REALM_A)).toBe(KEY_A);
  });

  it('keeps the unlocked key in storage.session only, and a browser restart (storage.session emptied) locks', async () => {
    const { deps, send } = startBackground();
    await addAccounts(deps);
    await send({ type: 'lock.enable', passphrase: PASSPHRASE, idleMinutes: 15 });
    expect(Object.keys(await browser.storage.session.get(null)).sort()).toEqual([LOCK_DEADLINE, UNLOCKED_KEY].sort());
    const local = JSON.stringify(await browser.storage.local.get(null));
    const unlocked = (await browser.storage.session.get(UNLOCKED_KEY))[UNLOCKED_KEY] as string;
    expect(local).not.toContain(unlocked);
    expect(JSON.stringify(await createKeyVault().read())).not.toContain(unlocked);

    await browser.storage.session.clear();
    const restarted = startBackground();
    expect(await restarted.send({ type: 'lock.status' })).toEqual({ ok: true, lock: { enabled: true, locked: true, idleMinutes: 15, retryAt: null } });
    expect(await keyOf(restarted.send, REALM_A)).toBe('LOCKED');
  });

  it('refuses to turn the lock on twice, and the requests that need it on when it is off', async () => {
    const { send } = startBackground();
    for (const request of [{ type: 'lock.unlock', passphrase: PASSPHRASE }, { type: 'lock.lockNow' }, { type: 'lock.disable', passphrase: PASSPHRASE }, { type: 'lock.setIdle', idleMinutes: 5 }] as const) {
      expect(await send(request)).toMatchObject({ ok: false, error: { code: 'LOCK_STATE', message: 'No passphrase is set.' } });
    }
    await send({ type: 'lock.enable', passphrase: PASSPHRASE, idleMinutes: 15 });
    expect(await send({ type: 'lock.enable', passphrase: PASSPHRASE, idleMinutes: 15 })).toMatchObject({ ok: false, error: { code: 'LOCK_STATE' } });
    expect(await send({ type: 'lock.enable', passphrase: 'short', idleMinutes: 15 })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });
});

describe('while locked', () => {
  it('a content script gets LOCKED for its realm, and nothing else about it changes', async () => {
    const { deps, send } = startBackground();
    await addAccounts(deps);
    expect(await keyOf(send, REALM_A, contentScriptOn(REALM_A))).toBe(KEY_A);
    await send({ type: 'lock.enable', passphrase: PASSPHRASE, idleMinutes: 15 });
    await send({ type: 'lock.lockNow' });
    expect(await send({ type: 'credentials.get' }, contentScriptOn(REALM_A))).toEqual({
      ok: false,
      error: { code: 'LOCKED', message: 'Keyring for Zulip is locked. Open it from the toolbar and enter your passphrase.' },
    });
    // The policy comes first: another realm's page is still FORBIDDEN, not told anything about the lock.
    expect(await keyOf(send, REALM_B, contentScriptOn(REALM_A))).toBe('FORBIDDEN');
    // Content scripts cannot unlock.
    expect(await send({ type: 'lock.unlock', passphrase: PASSPHRASE }, contentScriptOn(REALM_A))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await send({ type: 'lock.unlock', passphrase: PASSPHRASE });
    expect(await keyOf(send, REALM_A, contentScriptOn(REALM_A))).toBe(KEY_A);
  });

  it('refuses a sign-in before reaching the server, checks nothing, and still lists the accounts', async () => {
    const { deps, send } = startBackground();
    await addAccounts(deps);
    await send({ type: 'lock.enable', passphrase: PASSPHRASE, idleMinutes: 15 });
    await send({ type: 'lock.lockNow' });
    expect(await send({ type: 'account.signIn', realmUrl: REALM_A, username: 'u5@zulip.com', password: 'secret' })).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(await send({ type: 'sso.start', realmUrl: REALM_A, method: 'google' })).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(await send({ type: 'account.check', realmUrl: REALM_A, userId: 5 })).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(await send({ type: 'accounts.checkStale' })).toEqual({ ok: true, checked: [], failures: [] });
    // Put off by nothing: unlocked, the quiet check still finds them due.
    expect((await deps.accounts.list()).map((account) => account.checkedAt)).toEqual([clock, clock]);
    expect(await send({ type: 'accounts.list' })).toMatchObject({ ok: true, accounts: [{ realmUrl: REALM_A }, { realmUrl: REALM_B }] });
  });

  it('a key stored while locked (a flow that ends after locking) is refused with LOCKED, not stored', async () => {
    const { deps } = startBackground();
    await deps.lock.enable(PASSPHRASE, 15);
    await deps.lock.lockNow();
    await expect(deps.accounts.put({ realmUrl: REALM_A, realmName: 'A', realmIconUrl: null, email: 'u5@zulip.com', userId: 5, zulipVersion: '10.0', featureLevel: 371, apiKey: KEY_A })).rejects.toThrow('locked');
    expect(await deps.accounts.list()).toEqual([]);
  });
});

describe('wrong passphrases', () => {
  it('after 5 failures each attempt waits longer, even for the right passphrase, and a restarted background remembers', async () => {
    expect([1, 4, 5, 6, 7, 20].map(unlockDelayMs)).toEqual([0, 0, 30_000, 60_000, 120_000, 60 * MINUTE]);
    let { send } = startBackground();
    await send({ type: 'lock.enable', passphrase: PASSPHRASE, idleMinutes: 15 });
    await send({ type: 'lock.lockNow' });
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect(await send({ type: 'lock.unlock', passphrase: `wrong ${attempt}` })).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE' } });
    }
    expect(await send({ type: 'lock.unlock', passphrase: 'wrong 5' })).toEqual({
      ok: false,
      error: { code: 'PASSPHRASE_THROTTLED', message: 'Too many wrong passphrases. Try again in 30 seconds.', retryAt: clock + 30_000 },
    });
    ({ send } = startBackground());
    expect(await send({ type: 'lock.status' })).toMatchObject({ ok: true, lock: { locked: true, retryAt: clock + 30_000 } });
    clock += 29_000;
    expect(await send({ type: 'lock.unlock', passphrase: PASSPHRASE })).toMatchObject({ ok: false, error: { code: 'PASSPHRASE_THROTTLED', retryAt: clock + 1_000 } });
    expect(await send({ type: 'lock.disable', passphrase: PASSPHRASE })).toMatchObject({ ok: false, error: { code: 'PASSPHRASE_THROTTLED' } });
    clock += 1_000;
    expect(await send({ type: 'lock.unlock', passphrase: 'wrong 6' })).toMatchObject({ ok: false, error: { code: 'PASSPHRASE_THROTTLED', retryAt: clock + 60_000 } });
    clock += 60_000;
    expect(await send({ type: 'lock.unlock', passphrase: PASSPHRASE })).toMatchObject({ ok: true, lock: { locked: false, retryAt: null } });
    // Counting starts again after the right one.
    await send({ type: 'lock.lockNow' });
    expect(await send({ type: 'lock.unlock', passphrase: 'wrong again' })).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE' } });
  });
});

describe('idle time', () => {
  it('locks by the alarm once the chosen time passes without use; each use puts it off', async () => {
    const { deps, send } = startBackground();
    await addAccounts(deps);
    await send({ type: 'lock.enable', passphrase: PASSPHRASE, idleMinutes: 15 });
    expect(fake.alarms.get(IDLE_LOCK_ALARM)).toBe(clock + 15 * MINUTE);
    clock += 10 * MINUTE;
    expect(await keyOf(send, REALM_A, contentScriptOn(REALM_A))).toBe(KEY_A);
    expect(fake.alarms.get(IDLE_LOCK_ALARM)).toBe(clock + 15 * MINUTE);
    // What background.ts does when the alarm rings.
    const ring = () => deps.lock.idleAlarm();
    // Rung early (the use above moved the deadline on): nothing happens.
    clock += 14 * MINUTE;
    await ring();
    expect(await send({ type: 'lock.status' })).toMatchObject({ ok: true, lock: { locked: false } });
    clock += MINUTE;
    await ring();
    expect(await browser.storage.session.get(UNLOCKED_KEY)).toEqual({});
    expect(fake.alarms.has(IDLE_LOCK_ALARM)).toBe(false);
    expect(await send({ type: 'lock.status' })).toMatchObject({ ok: true, lock: { locked: true } });
    expect(await keyOf(send, REALM_A, contentScriptOn(REALM_A))).toBe('LOCKED');
  });

  it('locks past the deadline even if the alarm has not rung yet, and takes a new idle time at once', async () => {
    const { deps, send } = startBackground();
    await addAccounts(deps);
    await send({ type: 'lock.enable', passphrase: PASSPHRASE, idleMinutes: 15 });
    // Seconds, as the end-to-end tests set it: the request takes fractions of a minute.
    expect(await send({ type: 'lock.setIdle', idleMinutes: 0.05 })).toMatchObject({ ok: true, lock: { idleMinutes: 0.05, locked: false } });
    expect(fake.alarms.get(IDLE_LOCK_ALARM)).toBe(clock + 3_000);
    clock += 3_000;
    expect(await keyOf(send, REALM_A)).toBe('LOCKED');
  });
});

describe('a background stopped halfway through a move', () => {
  /** storage.local whose writes fail after `allowed` of them, as a stopped background's would never happen. */
  function stoppingAfter(allowed: number): StorageAreaLike {
    const local = browser.storage.local;
    let writes = 0;
    return {
      get: (keys) => local.get(keys),
      remove: (keys) => local.remove(keys),
      async set(items) {
        if (writes++ >= allowed) throw new Error('stopped');
        await local.set(items);
      },
    };
  }

  it('turning it on: one account re-sealed, one not; the next background finishes the move', async () => {
    await addAccounts(startBackground().deps);
    const before = await sealedKeys();
    const interrupted = startBackground(stoppingAfter(1));
    await expect(interrupted.send({ type: 'lock.enable', passphrase: PASSPHRASE, idleMinutes: 15 })).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    const halfway = await sealedKeys();
    expect(halfway.filter((sealed) => before.includes(sealed))).toHaveLength(1);
    expect(await vaultNames()).toEqual(['migration', 'sealing-key', 'wrapped-key']);
    // Halfway, every key still opens (with either sealing key).
    const restarted = startBackground();
    expect(await keyOf(restarted.send, REALM_A)).toBe(KEY_A);
    expect(await keyOf(restarted.send, REALM_B)).toBe(KEY_B);
    await restarted.deps.lock.resume();
    expect(await vaultNames()).toEqual(['wrapped-key']);
    expect((await sealedKeys()).some((sealed) => before.includes(sealed))).toBe(false);
    expect(await keyOf(restarted.send, REALM_A)).toBe(KEY_A);
    expect(await keyOf(restarted.send, REALM_B)).toBe(KEY_B);
  });

  it('turning it on, then the browser closes: locked, and unlocking finishes the move', async () => {
    await addAccounts(startBackground().deps);
    await startBackground(stoppingAfter(1)).send({ type: 'lock.enable', passphrase: PASSPHRASE, idleMinutes: 15 });
    await browser.storage.session.clear();
    const restarted = startBackground();
    await restarted.deps.lock.resume();
    expect(await vaultNames()).toEqual(['migration', 'sealing-key', 'wrapped-key']);
    expect(await keyOf(restarted.send, REALM_A)).toBe('LOCKED');
    expect(await restarted.send({ type: 'lock.unlock', passphrase: PASSPHRASE })).toMatchObject({ ok: true });
    expect(await vaultNames()).toEqual(['wrapped-key']);
    expect(await keyOf(restarted.send, REALM_A)).toBe(KEY_A);
    expect(await keyOf(restarted.send, REALM_B)).toBe(KEY_B);
  });

  it('turning it off: the next background finishes the move back to a key without passphrase', async () => {
    const first = startBackground();
    await addAccounts(first.deps);
    await first.send({ type: 'lock.enable', passphrase: PASSPHRASE, idleMinutes: 15 });
    const interrupted = startBackground(stoppingAfter(1));
    expect(await interrupted.send({ type: 'lock.disable', passphrase: PASSPHRASE })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(await vaultNames()).toEqual(['migration', 'sealing-key', 'wrapped-key']);
    const restarted = startBackground();
    await restarted.deps.lock.resume();
    expect(await vaultNames()).toEqual(['sealing-key']);
    expect(await restarted.send({ type: 'lock.status' })).toMatchObject({ ok: true, lock: { enabled: false, locked: false } });
    expect(await keyOf(restarted.send, REALM_A)).toBe(KEY_A);
    expect(await keyOf(restarted.send, REALM_B)).toBe(KEY_B);
  });
});

describe('the router', () => {
  it('clears passphrases from requests once handled', async () => {
    const { send } = startBackground();
    const enable = { type: 'lock.enable', passphrase: PASSPHRASE, idleMinutes: 15 } as const;
    const change = { type: 'lock.change', current: PASSPHRASE, next: 'another passphrase' } as const;
    const route = createMessageRouter(startBackground().deps, { id: EXTENSION_ID, baseUrl: `${EXTENSION_ORIGIN}/` });
    // The router validates into a copy; what it holds is what it clears. Seen through a handler spy.
    const seen: Request[] = [];
    const routes = (await import('../messaging/routes')).routes as unknown as Record<string, { handle(request: Request, ...rest: unknown[]): Promise<unknown> }>;
    for (const type of ['lock.enable', 'lock.change']) {
      const entry = routes[type]!;
      const original = entry.handle.bind(entry);
      vi.spyOn(entry, 'handle').mockImplementation(async (request, ...rest) => {
        seen.push(request);
        return original(request, ...rest);
      });
    }
    try {
      await route(enable, popup);
      await route(change, popup);
    } finally {
      vi.restoreAllMocks();
    }
    expect(seen).toEqual([
      { ...enable, passphrase: '' },
      { ...change, current: '', next: '' },
    ]);
    expect(await send({ type: 'lock.unlock', passphrase: 'another passphrase' })).toMatchObject({ ok: true });
  });
});
