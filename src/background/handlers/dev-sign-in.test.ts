// realm.devUsers and account.devSignIn through the router, against the fake Zulip server over real
// HTTP: a development server's users, signing in as one without a password, and each refusal of
// docs/zulip-api.md §3 with its own sentence.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDemoRealm, DESDEMONA, HAMLET, IAGO } from '../../../test/fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../../../test/fake-zulip/fake-zulip-server';
import { zulipResponses } from '../../../test/fixtures/zulip-responses';
import { createTestDeps, grantHost, POPUP_SENDER as popup } from '../../../test/unit/background-deps';
import { EXTENSION_ID, EXTENSION_ORIGIN, fake, type FakeSender } from '../../../test/unit/fake-browser';
import { createMessageRouter } from '../messaging/message-router';

const OTHELLO = { email: 'othello@zulip.com', password: 'pw', apiKey: 'O'.repeat(32), userId: 12, fullName: 'Othello' };

let server: FakeZulipServer;
let route: ReturnType<typeof createMessageRouter>;
const send = (message: unknown) => route(message, popup);
const devUsers = () => send({ type: 'realm.devUsers', realmUrl: server.url });
const devSignIn = (email: string) => send({ type: 'account.devSignIn', realmUrl: server.url, email });
const listed = async () => {
  const reply = await send({ type: 'accounts.list' });
  return 'accounts' in reply ? reply.accounts : [];
};

beforeEach(async () => {
  server = await startFakeZulip({ realm: createDemoRealm({ devAuthEnabled: true, users: [{ ...IAGO }, { ...DESDEMONA }, { ...HAMLET }, { ...OTHELLO }] }) });
  route = createMessageRouter(createTestDeps(), { id: EXTENSION_ID, baseUrl: `${EXTENSION_ORIGIN}/` });
  grantHost(server.url);
});
afterEach(() => server.close());

const UNAVAILABLE = {
  production: (origin: string) => `${origin} is a production server: it does not offer the development sign-in. Log in another way.`,
  disabled: (origin: string) => `${origin} does not offer the development sign-in (its DevAuthBackend is not enabled). Log in another way.`,
  old: (origin: string) => `${origin} does not offer the development sign-in. Log in another way.`,
};
/** Zulip before 4.0 answers both a production server and DevAuthBackend off with "Dev environment not enabled.". */
const ZULIP_3 = { zulipVersion: '3.4', featureLevel: 27 };

describe('realm.devUsers', () => {
  it('lists the active users by email, owners and administrators apart', async () => {
    expect(await devUsers()).toEqual({ ok: true, admins: [DESDEMONA.email, IAGO.email], users: [OTHELLO.email] });
  });

  it("keeps only this organization's users: the server lists every organization it hosts", async () => {
    server.override('/api/v1/dev_list_users', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          result: 'success',
          msg: '',
          direct_admins: [{ email: IAGO.email, realm_url: server.url }, { email: 'iago@zephyr.example', realm_url: 'http://zephyr.localhost:9991' }],
          direct_users: [{ email: OTHELLO.email, realm_uri: `${server.url}/` }, { email: 'nobody@nowhere.example' }],
        }),
      );
    });
    expect(await devUsers()).toEqual({ ok: true, admins: [IAGO.email], users: [OTHELLO.email] });
  });

  it.each([
    ['a production server, which does not route it: HTML 404', { production: true }, UNAVAILABLE.production],
    ['DevAuthBackend off: 400', { devAuthEnabled: false }, UNAVAILABLE.disabled],
    ['a 3.x production server: 400 "Dev environment not enabled."', { ...ZULIP_3, production: true, devAuthEnabled: true }, UNAVAILABLE.old],
    ['DevAuthBackend off on 3.x: 400 "Dev environment not enabled."', { ...ZULIP_3, devAuthEnabled: false }, UNAVAILABLE.old],
  ])('says why a server refuses (%s)', async (_name, overrides, sentence) => {
    server.realm = createDemoRealm(overrides);
    expect(await devUsers()).toEqual({ ok: false, error: { code: 'DEV_AUTH_UNAVAILABLE', message: sentence(server.url) } });
  });

  it('sends nothing without the host permission', async () => {
    fake.granted.clear();
    expect(await devUsers()).toMatchObject({ ok: false, error: { code: 'PERMISSION_MISSING' } });
    expect(server.requests).toEqual([]);
  });
});

describe('account.devSignIn', () => {
  it('signs in without a password and stores the account the server names', async () => {
    const reply = await devSignIn(IAGO.email);
    expect(reply).toMatchObject({ ok: true, account: { realmUrl: server.url, realmName: 'Zulip Dev', email: IAGO.email, userId: IAGO.userId }, replaced: null });
    expect(JSON.stringify(reply)).not.toContain(IAGO.apiKey);
    expect(server.requests.filter((request) => request.path === '/api/v1/dev_fetch_api_key').map((request) => request.body)).toEqual([`username=${encodeURIComponent(IAGO.email)}`]);
    expect(await send({ type: 'credentials.get', realm: server.url })).toMatchObject({ ok: true, credentials: { email: IAGO.email, apiKey: IAGO.apiKey, userId: IAGO.userId } });
  });

  it('asks users/me who signed in on servers before feature level 171', async () => {
    server.realm!.featureLevel = 170;
    expect(await devSignIn(IAGO.email)).toMatchObject({ ok: true, account: { userId: IAGO.userId } });
    expect(server.requests.filter((request) => request.path === '/api/v1/users/me')).toHaveLength(1);
  });

  it.each<[string, (realm: NonNullable<FakeZulipServer['realm']>) => void, string, (origin: string) => { code: string; message: string }]>([
    ['a production server (HTML 404: not routed)', (realm) => (realm.production = true), IAGO.email, (origin) => ({ code: 'DEV_AUTH_UNAVAILABLE', message: UNAVAILABLE.production(origin) })],
    [
      'a 3.x production server (400 "Dev environment not enabled.")',
      (realm) => Object.assign(realm, ZULIP_3, { production: true }),
      IAGO.email,
      (origin) => ({ code: 'DEV_AUTH_UNAVAILABLE', message: UNAVAILABLE.old(origin) }),
    ],
    ['DevAuthBackend off (400)', (realm) => (realm.devAuthEnabled = false), IAGO.email, (origin) => ({ code: 'DEV_AUTH_UNAVAILABLE', message: UNAVAILABLE.disabled(origin) })],
    ['an email that is not one (400)', () => undefined, 'iago', () => ({ code: 'USERNAME_NOT_EMAIL', message: 'Enter a valid email address.' })],
    ['an unknown user (401 AUTHENTICATION_FAILED)', () => undefined, 'nobody@zulip.com', () => ({ code: 'AUTHENTICATION_FAILED', message: 'Zulip Dev has no account for nobody@zulip.com any more. Choose another user.' })],
    [
      'a deactivated user (401 USER_DEACTIVATED)',
      () => undefined,
      HAMLET.email,
      () => ({ code: 'USER_DEACTIVATED', message: 'Your account in this organization has been deactivated. Ask an administrator of the organization to reactivate it.' }),
    ],
    ['a deactivated organization (401 REALM_DEACTIVATED)', (realm) => (realm.deactivated = true), IAGO.email, () => ({ code: 'REALM_DEACTIVATED', message: 'This organization has been deactivated.' })],
    [
      'an email of another organization (404)',
      (realm) => (realm.otherRealmUsers = [{ ...OTHELLO, email: 'othello@elsewhere.com' }]),
      'othello@elsewhere.com',
      () => ({ code: 'NONEXISTENT_SUBDOMAIN', message: "This account belongs to another organization on this server. Enter that organization's URL instead." }),
    ],
  ])('refuses %s with its own sentence and stores nothing', async (_name, change, email, error) => {
    change(server.realm!);
    expect(await devSignIn(email)).toEqual({ ok: false, error: error(server.url) });
    expect(await listed()).toEqual([]);
  });

  it('reads the test-suite-only "Endpoint not available in production." (400) as a production server too', async () => {
    const fixture = zulipResponses.dev_fetch_api_key['error_production']!;
    server.override('/api/v1/dev_fetch_api_key', (_req, res) => {
      res.writeHead(fixture.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(fixture.body));
    });
    expect(await devSignIn(IAGO.email)).toEqual({ ok: false, error: { code: 'DEV_AUTH_UNAVAILABLE', message: UNAVAILABLE.production(server.url) } });
  });

  it('says so when dev_fetch_api_key finds no organization at the address (404)', async () => {
    // server_settings would answer "no realm" first; the 404 comes when the realm goes between the two requests.
    server.override('/api/v1/dev_fetch_api_key', (_req, res) => {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ result: 'error', msg: 'Invalid subdomain', code: 'NONEXISTENT_SUBDOMAIN' }));
    });
    expect(await devSignIn(IAGO.email)).toMatchObject({ ok: false, error: { code: 'NONEXISTENT_SUBDOMAIN' } });
    expect(await listed()).toEqual([]);
  });

  it('is for extension pages only', async () => {
    const page: FakeSender = { id: EXTENSION_ID, url: `${server.url}/`, tab: { id: 3, url: `${server.url}/` }, frameId: 0 };
    expect(await route({ type: 'account.devSignIn', realmUrl: server.url, email: IAGO.email }, page)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await route({ type: 'realm.devUsers', realmUrl: server.url }, page)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(server.requests).toEqual([]);
  });
});
