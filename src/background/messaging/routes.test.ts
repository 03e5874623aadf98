// The popup's requests through the router, against the fake Zulip server over real HTTP.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import browser from 'webextension-polyfill';
import { createDemoRealm, DESDEMONA, IAGO } from '../../../test/fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../../../test/fake-zulip/fake-zulip-server';
import { EXTENSION_ID, EXTENSION_ORIGIN, fake } from '../../../test/unit/fake-browser';
import { createTestDeps, grantHost, POPUP_SENDER as popup } from '../../../test/unit/background-deps';
import { htmlPage } from '../../../test/fake-zulip/faults';
import { createMessageRouter } from './message-router';

let server: FakeZulipServer;
let route: ReturnType<typeof createMessageRouter>;
const send = (message: unknown) => route(message, popup);
const signIn = (username: string, password: string, realmUrl = server.url) => send({ type: 'account.signIn', realmUrl, username, password });

beforeEach(async () => {
  server = await startFakeZulip({ realm: createDemoRealm() });
  route = createMessageRouter(createTestDeps({ now: () => 1_700_000_000_000 }), { id: EXTENSION_ID, baseUrl: `${EXTENSION_ORIGIN}/` });
  grantHost(server.url);
});
afterEach(() => server.close());

const storedKeys = () => Object.keys(fake.browser.storage.local.snapshot()).filter((key) => key.startsWith('account:'));

describe('realm.lookup', () => {
  it('answers with the organization', async () => {
    expect(await send({ type: 'realm.lookup', serverUrl: server.url })).toMatchObject({ ok: true, realm: { name: 'Zulip Dev', realmUrl: server.url } });
  });

  it('refuses without the host permission, and sends nothing', async () => {
    fake.granted.clear();
    expect(await send({ type: 'realm.lookup', serverUrl: server.url })).toMatchObject({ ok: false, error: { code: 'PERMISSION_MISSING' } });
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a URL the popup should have refused', async () => {
    expect(await send({ type: 'realm.lookup', serverUrl: 'http://chat.example.com' })).toMatchObject({ ok: false, error: { code: 'INVALID_URL', message: expect.stringContaining('Plain http://') } });
  });

  it('says when the address is not a Zulip server', async () => {
    server.override('/api/v1/server_settings', htmlPage(200));
    expect(await send({ type: 'realm.lookup', serverUrl: server.url })).toMatchObject({ ok: false, error: { code: 'NOT_ZULIP' } });
  });
});

describe('account.signIn', () => {
  it('stores the account with what the server says, and registers the realm\'s content script', async () => {
    const reply = await signIn(IAGO.email.toUpperCase(), IAGO.password);
    expect(reply).toEqual({
      ok: true,
      replaced: null,
      account: {
        realmUrl: server.url,
        realmName: 'Zulip Dev',
        realmIconUrl: `${server.url}/user_avatars/2/realm/icon.png?version=3`,
        email: IAGO.email,
        userId: IAGO.userId,
        zulipVersion: '10.0',
        featureLevel: 371,
        addedAt: 1_700_000_000_000,
        credentialStatus: 'valid',
        checkedAt: 1_700_000_000_000,
        isDefault: true,
      },
    });
    expect(storedKeys()).toEqual([`account:${server.url}`]);
    expect(JSON.stringify(fake.browser.storage.local.snapshot())).not.toContain(IAGO.apiKey);
    expect(JSON.stringify(fake.browser.storage.local.snapshot())).not.toContain(IAGO.password);
    expect((await browser.scripting.getRegisteredContentScripts()).map((s) => s.matches)).toEqual([['http://127.0.0.1/*']]);
    expect(await send({ type: 'credentials.get', realm: server.url })).toMatchObject({ ok: true, credentials: { apiKey: IAGO.apiKey } });
  });

  it('asks users/me for the user id on servers before feature level 171', async () => {
    server.realm = createDemoRealm({ featureLevel: 156, zulipVersion: '6.0' });
    expect(await signIn(IAGO.email, IAGO.password)).toMatchObject({ ok: true, account: { userId: IAGO.userId, featureLevel: 156 } });
    expect(server.requests.map((r) => r.path)).toContain('/api/v1/users/me');
  });

  it.each([
    ['a wrong password', IAGO.email, 'wrong', 'AUTHENTICATION_FAILED', 'Your email or password is incorrect.'],
    ['a deactivated user', 'hamlet@zulip.com', 'hamlet-pw', 'USER_DEACTIVATED', 'has been deactivated'],
    ['a username that is not an email', 'iago', 'abcd1234', 'USERNAME_NOT_EMAIL', 'Enter a valid email address.'],
  ])('%s gets its message and stores nothing', async (_name, username, password, code, text) => {
    expect(await signIn(username, password)).toMatchObject({ ok: false, error: { code, message: expect.stringContaining(text) } });
    expect(storedKeys()).toEqual([]);
    expect(await browser.scripting.getRegisteredContentScripts()).toEqual([]);
  });

  it('a deactivated organization gets its message and stores nothing', async () => {
    server.realm = createDemoRealm({ deactivated: true });
    expect(await signIn(IAGO.email, IAGO.password)).toMatchObject({ ok: false, error: { code: 'REALM_DEACTIVATED' } });
    expect(storedKeys()).toEqual([]);
  });

  it('the rate limit says when the next attempt is allowed', async () => {
    for (let attempt = 0; attempt < 5; attempt++) await signIn(IAGO.email, 'wrong');
    const reply = await signIn(IAGO.email, IAGO.password);
    expect(reply).toMatchObject({ ok: false, error: { code: 'RATE_LIMIT_HIT', message: expect.stringContaining('accepts the next one at') } });
    expect(reply.ok === false && reply.error.retryAt).toBeGreaterThan(1_700_000_000_000 + 1_790_000);
  });

  it('a different person on the same organization is added beside the first, which stays the default', async () => {
    await signIn(IAGO.email, IAGO.password);
    expect(await signIn(DESDEMONA.email, DESDEMONA.password)).toMatchObject({ ok: true, account: { email: DESDEMONA.email, isDefault: false }, replaced: null });
    expect(await send({ type: 'accounts.list' })).toMatchObject({ ok: true, accounts: [{ email: IAGO.email, isDefault: true }, { email: DESDEMONA.email, isDefault: false }] });
    expect(await send({ type: 'credentials.get', realm: server.url })).toMatchObject({ ok: true, credentials: { email: IAGO.email, apiKey: IAGO.apiKey } });
    expect(await send({ type: 'credentials.get', realm: server.url, email: DESDEMONA.email })).toMatchObject({ ok: true, credentials: { apiKey: DESDEMONA.apiKey } });
  });

  it('the same email under a new user id (the account was recreated on the server) replaces the old one, and says so', async () => {
    await signIn(IAGO.email, IAGO.password);
    const recreated = server.realm!.users.find((user) => user.email === IAGO.email)!;
    recreated.userId = 50;
    expect(await signIn(IAGO.email, IAGO.password)).toMatchObject({ ok: true, account: { userId: 50, isDefault: true }, replaced: { userId: IAGO.userId } });
    expect(await send({ type: 'accounts.list' })).toMatchObject({ ok: true, accounts: [{ userId: 50 }] });
  });

  it('removing one of two accounts keeps the other and the content script; removing the last deletes both', async () => {
    await signIn(IAGO.email, IAGO.password);
    await signIn(DESDEMONA.email, DESDEMONA.password);
    expect(await send({ type: 'account.remove', realmUrl: server.url, userId: IAGO.userId })).toEqual({ ok: true, removed: true });
    expect(await browser.scripting.getRegisteredContentScripts()).toHaveLength(1);
    expect(await send({ type: 'credentials.get', realm: server.url })).toMatchObject({ ok: true, credentials: { email: DESDEMONA.email } });
    expect(await send({ type: 'account.remove', realmUrl: server.url, userId: DESDEMONA.userId })).toEqual({ ok: true, removed: true });
    expect(storedKeys()).toEqual([]);
    expect(await browser.scripting.getRegisteredContentScripts()).toEqual([]);
  });

  it('removal deletes the account and its content script', async () => {
    await signIn(IAGO.email, IAGO.password);
    expect(await send({ type: 'account.remove', realmUrl: server.url, userId: IAGO.userId })).toEqual({ ok: true, removed: true });
    expect(storedKeys()).toEqual([]);
    expect(await browser.scripting.getRegisteredContentScripts()).toEqual([]);
    expect(await send({ type: 'credentials.get', realm: server.url })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('never logs the password or the key', async () => {
    const lines: unknown[] = [];
    const originals = { log: console.log, error: console.error, warn: console.warn, info: console.info, debug: console.debug };
    for (const name of Object.keys(originals) as Array<keyof typeof originals>) console[name] = (...args: unknown[]) => lines.push(args);
    try {
      await signIn(IAGO.email, IAGO.password);
      await signIn(IAGO.email, 'wrong');
      await send({ type: 'credentials.get', realm: server.url });
    } finally {
      Object.assign(console, originals);
    }
    expect(JSON.stringify(lines)).not.toMatch(new RegExp(`${IAGO.password}|${IAGO.apiKey}`));
  });
});
