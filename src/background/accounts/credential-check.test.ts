// account.check, accounts.checkStale and what credentials.get does with their verdict, through the
// router, against the fake Zulip server over real HTTP.
import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDemoRealm, DESDEMONA, IAGO } from '../../../test/fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../../../test/fake-zulip/fake-zulip-server';
import { hang, htmlPage } from '../../../test/fake-zulip/faults';
import { regenerateApiKey, setRealmDeactivated, setUserActive } from '../../../test/fake-zulip/realm-admin';
import { zulipResponse, type ZulipResponseFixture } from '../../../test/fixtures/zulip-responses';
import { EXTENSION_ID, EXTENSION_ORIGIN, fake, type FakeSender } from '../../../test/unit/fake-browser';
import { createTestDeps, grantHost, POPUP_SENDER as popup } from '../../../test/unit/background-deps';
import { CHECK_INTERVAL_MS } from './credential-check';
import { createMessageRouter } from '../messaging/message-router';

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;
let clock: number;
let server: FakeZulipServer;
let route: ReturnType<typeof createMessageRouter>;
const send = (message: unknown) => route(message, popup);
const realmPage = (): FakeSender => ({ id: EXTENSION_ID, url: `${server.url}/`, tab: { id: 7, url: `${server.url}/` }, frameId: 0 });
const fromPage = () => route({ type: 'credentials.get' }, realmPage());
const check = () => send({ type: 'account.check', realmUrl: server.url, userId: IAGO.userId });
const checkStale = () => send({ type: 'accounts.checkStale' });
const usersMeRequests = () => server.requests.filter((request) => request.path === '/api/v1/users/me').length;
/** Answers with a real Zulip response from test/fixtures. */
const replay = (fixture: ZulipResponseFixture) => (_req: unknown, res: ServerResponse) => {
  res.writeHead(fixture.status, { 'Content-Type': 'application/json', ...fixture.headers });
  res.end(JSON.stringify(fixture.body));
};
const stored = async () => {
  const reply = await send({ type: 'accounts.list' });
  return 'accounts' in reply ? reply.accounts[0] : undefined;
};

beforeEach(async () => {
  clock = T0;
  server = await startFakeZulip({ realm: createDemoRealm() });
  route = createMessageRouter(createTestDeps({ now: () => clock, zulip: { limits: { timeoutMs: 300 } } }), { id: EXTENSION_ID, baseUrl: `${EXTENSION_ORIGIN}/` });
  grantHost(server.url);
  expect(await send({ type: 'account.signIn', realmUrl: server.url, username: IAGO.email, password: IAGO.password })).toMatchObject({ ok: true });
  server.requests.length = 0;
});
afterEach(() => server.close());

describe('account.check', () => {
  it('a working key stays valid and records when it was checked', async () => {
    clock = T0 + 5 * MINUTE;
    expect(await check()).toMatchObject({ ok: true, account: { email: IAGO.email, credentialStatus: 'valid', checkedAt: T0 + 5 * MINUTE } });
    expect(usersMeRequests()).toBe(1);
    expect(await fromPage()).toMatchObject({ ok: true, credentials: { apiKey: IAGO.apiKey } });
  });

  it('a revoked key (401 Invalid API key) marks the account, and credentials.get answers INVALID_CREDENTIALS without the key', async () => {
    regenerateApiKey(server.realm!, IAGO.email);
    const reply = await check();
    expect(reply).toMatchObject({ ok: true, account: { credentialStatus: 'invalid' } });
    expect(JSON.stringify(reply)).not.toContain(IAGO.apiKey);
    expect((await stored())?.credentialStatus).toBe('invalid');
    for (const answer of [await fromPage(), await send({ type: 'credentials.get', realm: server.url })]) {
      expect(answer).toEqual({
        ok: false,
        error: { code: 'INVALID_CREDENTIALS', message: 'The organization no longer accepts the saved key for this account. Sign in again from the Keyring for Zulip button in the toolbar.' },
      });
    }
    // The page asking again does not reach the server: the verdict is answered from storage.
    const before = server.requests.length;
    await fromPage();
    expect(server.requests.length).toBe(before);
  });

  it('a deactivated user gets its own status and message', async () => {
    setUserActive(server.realm!, IAGO.email, false);
    expect(await check()).toMatchObject({ ok: true, account: { credentialStatus: 'user-deactivated' } });
    expect(await fromPage()).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS', message: expect.stringContaining('Your account in this organization has been deactivated.') } });
  });

  it('a deactivated organization gets its own status and message', async () => {
    setRealmDeactivated(server.realm!, true);
    expect(await check()).toMatchObject({ ok: true, account: { credentialStatus: 'realm-deactivated' } });
    expect(await fromPage()).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS', message: 'This organization has been deactivated.' } });
  });

  it('a reactivated account is valid again at the next check, with the same key', async () => {
    setUserActive(server.realm!, IAGO.email, false);
    await check();
    setUserActive(server.realm!, IAGO.email, true);
    expect(await check()).toMatchObject({ ok: true, account: { credentialStatus: 'valid' } });
    expect(await fromPage()).toMatchObject({ ok: true, credentials: { apiKey: IAGO.apiKey } });
  });

  it('a 200 for another user id marks the key invalid', async () => {
    server.override('/api/v1/users/me', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ result: 'success', msg: '', user_id: IAGO.userId + 1, email: 'someone@zulip.com' }));
    });
    expect(await check()).toMatchObject({ ok: true, account: { credentialStatus: 'invalid' } });
  });

  it.each<[string, (server: FakeZulipServer) => Promise<void> | void, string, string]>([
    ['the server is down', (s) => s.close(), 'NETWORK', 'Could not connect to'],
    ['the server never answers', (s) => s.override('/api/v1/users/me', hang()), 'TIMEOUT', 'did not answer in time'],
    ['HTTP 500', (s) => s.override('/api/v1/users/me', htmlPage(500)), 'SERVER_ERROR', 'has a problem (HTTP 500)'],
    ['HTTP 503', (s) => s.override('/api/v1/users/me', htmlPage(503)), 'SERVER_ERROR', 'has a problem (HTTP 503)'],
    [
      'HTTP 429',
      (s) =>
        s.override('/api/v1/users/me', (_req, res) => {
          res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '3.5' });
          res.end(JSON.stringify({ result: 'error', msg: 'API usage exceeded rate limit', code: 'RATE_LIMIT_HIT', 'retry-after': 3.5 }));
        }),
      'RATE_LIMIT_HIT',
      'is limiting requests right now, so the key could not be checked',
    ],
    [
      'HTTP 400 from a proxy',
      (s) =>
        s.override('/api/v1/users/me', (_req, res) => {
          res.writeHead(400, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ result: 'error', msg: 'This endpoint requires HTTP basic authentication.', code: 'BAD_REQUEST' }));
        }),
      'SERVER_REFUSED',
      'answered the check with HTTP 400 without saying whether the key works',
    ],
  ])('a transient failure (%s) is reported and marks nothing', async (_name, fault, code, text) => {
    await fault(server);
    clock = T0 + MINUTE;
    expect(await check()).toMatchObject({ ok: false, error: { code, message: expect.stringContaining(text) } });
    expect(await stored()).toMatchObject({ credentialStatus: 'valid', checkedAt: T0 + MINUTE });
    expect(await fromPage()).toMatchObject({ ok: true, credentials: { apiKey: IAGO.apiKey } });
  });

  it.each([
    ['a proxy strips the Authorization header', (s: FakeZulipServer) => void (s.stripAuthorization = true)],
    ['Zulip 2.1–5.x answers legacy_missing_auth_header_pre_fl134', (s: FakeZulipServer) => s.override('/api/v1/users/me', replay(zulipResponse('users_me', 'legacy_missing_auth_header_pre_fl134')))],
  ])('401 "Not logged in: API authentication or user session required" (%s) is no verdict: nothing is marked and the page keeps getting the key', async (_name, fault) => {
    fault(server);
    clock = T0 + MINUTE;
    expect(await check()).toEqual({
      ok: false,
      error: {
        code: 'KEY_NOT_RECEIVED',
        message: `The API key did not reach ${server.url}: something between this browser and the server, such as a proxy, may be removing the Authorization header. Nothing was changed; try again later or tell the server's administrators.`,
      },
    });
    expect(await stored()).toMatchObject({ credentialStatus: 'valid', checkedAt: T0 + MINUTE });
    expect(await fromPage()).toMatchObject({ ok: true, credentials: { apiKey: IAGO.apiKey } });
  });

  it("Zulip's JSON 500 (error_internal_server_error) is the server's problem, not a refusal", async () => {
    server.override('/api/v1/users/me', replay(zulipResponse('users_me', 'error_internal_server_error')));
    expect(await check()).toMatchObject({ ok: false, error: { code: 'SERVER_ERROR', message: expect.stringContaining('has a problem (HTTP 500)') } });
    expect(await stored()).toMatchObject({ credentialStatus: 'valid' });
  });

  it('asks nothing without the host permission, and says why', async () => {
    fake.granted.clear();
    expect(await check()).toMatchObject({ ok: false, error: { code: 'PERMISSION_MISSING', message: expect.stringContaining(`may no longer connect to ${server.url}`) } });
    expect(server.requests).toHaveLength(0);
  });

  it('answers NOT_FOUND for an organization without an account, and INVALID_REQUEST for a URL that is not one', async () => {
    expect(await send({ type: 'account.check', realmUrl: 'https://unknown.example.com', userId: IAGO.userId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await send({ type: 'account.check', realmUrl: server.url, userId: DESDEMONA.userId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await send({ type: 'account.check', realmUrl: 'not a url', userId: IAGO.userId })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await send({ type: 'account.check', realmUrl: server.url })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(server.requests).toHaveLength(0);
  });

  it('checks the account it names, and marks only that one among the organization\'s accounts', async () => {
    expect(await send({ type: 'account.signIn', realmUrl: server.url, username: DESDEMONA.email, password: DESDEMONA.password })).toMatchObject({ ok: true });
    regenerateApiKey(server.realm!, DESDEMONA.email);
    expect(await send({ type: 'account.check', realmUrl: server.url, userId: DESDEMONA.userId })).toMatchObject({
      ok: true,
      account: { email: DESDEMONA.email, credentialStatus: 'invalid' },
    });
    expect(await check()).toMatchObject({ ok: true, account: { email: IAGO.email, credentialStatus: 'valid' } });
    expect(await fromPage()).toMatchObject({ ok: true, credentials: { email: IAGO.email, apiKey: IAGO.apiKey } });
    expect(await route({ type: 'credentials.get', email: DESDEMONA.email }, realmPage())).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
  });

  it('signing in again gets a new key, clears the mark, and the page gets the new key', async () => {
    const newKey = regenerateApiKey(server.realm!, IAGO.email);
    await check();
    expect(await send({ type: 'account.signIn', realmUrl: server.url, username: IAGO.email, password: IAGO.password })).toMatchObject({
      ok: true,
      account: { credentialStatus: 'valid' },
      replaced: null,
    });
    expect(await fromPage()).toMatchObject({ ok: true, credentials: { apiKey: newKey } });
  });

  it('a content script may not send the check requests', async () => {
    for (const message of [{ type: 'account.check', realmUrl: server.url, userId: IAGO.userId }, { type: 'accounts.checkStale' }]) {
      expect(await route(message, realmPage())).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe('accounts.checkStale (the quiet check when the popup opens)', () => {
  it('asks about an account at most once an hour, counted from storage', async () => {
    // Signing in counts as a check: the key was just handed out.
    clock = T0 + CHECK_INTERVAL_MS - 1;
    expect(await checkStale()).toEqual({ ok: true, checked: [], failures: [] });
    expect(usersMeRequests()).toBe(0);
    clock = T0 + CHECK_INTERVAL_MS;
    expect(await checkStale()).toMatchObject({ ok: true, checked: [{ email: IAGO.email, credentialStatus: 'valid', checkedAt: T0 + CHECK_INTERVAL_MS }], failures: [] });
    expect(usersMeRequests()).toBe(1);
    clock += 30 * MINUTE;
    expect(await checkStale()).toEqual({ ok: true, checked: [], failures: [] });
    expect(usersMeRequests()).toBe(1);
  });

  it('a router started afresh (the worker restarted) keeps the hour', async () => {
    clock = T0 + CHECK_INTERVAL_MS;
    await checkStale();
    route = createMessageRouter(createTestDeps({ now: () => clock }), { id: EXTENSION_ID, baseUrl: `${EXTENSION_ORIGIN}/` });
    clock += 10 * MINUTE;
    expect(await checkStale()).toEqual({ ok: true, checked: [], failures: [] });
    expect(usersMeRequests()).toBe(1);
  });

  it('popups opened at the same moment check an account once', async () => {
    clock = T0 + 2 * CHECK_INTERVAL_MS;
    const replies = await Promise.all([checkStale(), checkStale(), checkStale()]);
    expect(replies.map((reply) => ('checked' in reply ? reply.checked.length : -1)).sort()).toEqual([0, 0, 1]);
    expect(usersMeRequests()).toBe(1);
  });

  it('checks each account of an organization on its own', async () => {
    clock = T0 + 10 * MINUTE;
    expect(await send({ type: 'account.signIn', realmUrl: server.url, username: DESDEMONA.email, password: DESDEMONA.password })).toMatchObject({ ok: true });
    regenerateApiKey(server.realm!, IAGO.email);
    clock = T0 + CHECK_INTERVAL_MS;
    // Only IAGO's hour is up.
    expect(await checkStale()).toMatchObject({ ok: true, checked: [{ email: IAGO.email, credentialStatus: 'invalid' }], failures: [] });
    clock = T0 + 10 * MINUTE + CHECK_INTERVAL_MS;
    expect(await checkStale()).toMatchObject({ ok: true, checked: [{ email: DESDEMONA.email, credentialStatus: 'valid' }], failures: [] });
    expect(usersMeRequests()).toBe(2);
  });

  it('finds a revoked key and marks it', async () => {
    regenerateApiKey(server.realm!, IAGO.email);
    clock = T0 + 2 * CHECK_INTERVAL_MS;
    expect(await checkStale()).toMatchObject({ ok: true, checked: [{ credentialStatus: 'invalid' }], failures: [] });
    expect(await fromPage()).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
  });

  it('reports a transient failure, marks nothing, and does not ask again within the hour', async () => {
    server.override('/api/v1/users/me', htmlPage(502));
    clock = T0 + CHECK_INTERVAL_MS;
    expect(await checkStale()).toMatchObject({
      ok: true,
      checked: [],
      failures: [{ realmUrl: server.url, userId: IAGO.userId, error: { code: 'SERVER_ERROR', message: expect.stringContaining('HTTP 502') } }],
    });
    expect((await stored())?.credentialStatus).toBe('valid');
    clock += MINUTE;
    expect(await checkStale()).toEqual({ ok: true, checked: [], failures: [] });
    expect(usersMeRequests()).toBe(1);
  });

  it('never logs the key', async () => {
    const lines: unknown[] = [];
    const originals = { log: console.log, error: console.error, warn: console.warn, info: console.info, debug: console.debug };
    for (const name of Object.keys(originals) as Array<keyof typeof originals>) console[name] = (...args: unknown[]) => lines.push(args);
    try {
      clock = T0 + CHECK_INTERVAL_MS;
      await checkStale();
      regenerateApiKey(server.realm!, IAGO.email);
      await check();
      await fromPage();
    } finally {
      Object.assign(console, originals);
    }
    expect(JSON.stringify(lines)).not.toContain(IAGO.apiKey);
  });
});
