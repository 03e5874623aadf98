// The fake's development sign-in (docs/zulip-api.md §3): server_settings' `dev` key,
// GET /api/v1/dev_list_users and POST /api/v1/dev_fetch_api_key, against Zulip's own responses (test/fixtures/zulip-responses.json).
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoRealm, DESDEMONA, HAMLET, IAGO } from './demo-realm';
import { expectedHtmlPage, htmlPageSummary, zulipResponse, zulipResponses } from '../fixtures/zulip-responses';
import { startFakeZulip, type FakeRealmConfig, type FakeZulipServer, type StartOptions } from './fake-zulip-server';

const servers: FakeZulipServer[] = [];
async function start(realm: FakeRealmConfig | null, options: Partial<StartOptions> = {}): Promise<FakeZulipServer> {
  const server = await startFakeZulip({ realm, ...options });
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const devRealm = (overrides: Partial<FakeRealmConfig> = {}) => createDemoRealm({ devAuthEnabled: true, ...overrides });
const OTHELLO = { email: 'othello@zulip.com', password: 'pw', apiKey: 'O'.repeat(32), userId: 12, fullName: 'Othello' };

async function answer(response: Response): Promise<{ status: number; body: Record<string, unknown> }> {
  return { status: response.status, body: JSON.parse(await response.text()) as Record<string, unknown> };
}
const fetchKey = (server: FakeZulipServer, fields: Record<string, string>) =>
  fetch(`${server.url}/api/v1/dev_fetch_api_key`, { method: 'POST', body: new URLSearchParams(fields) }).then(answer);
const listUsers = (server: FakeZulipServer, init?: RequestInit) => fetch(`${server.url}/api/v1/dev_list_users`, init).then(answer);
const authenticationMethods = async (server: FakeZulipServer) =>
  (await answer(await fetch(`${server.url}/api/v1/server_settings`))).body['authentication_methods'] as Record<string, boolean>;

describe('server_settings', () => {
  it('reports authentication_methods.dev only when devAuthEnabled', async () => {
    expect((await authenticationMethods(await start(createDemoRealm())))['dev']).toBe(false);
    expect((await authenticationMethods(await start(devRealm())))['dev']).toBe(true);
  });
});

describe('GET /api/v1/dev_list_users', () => {
  it('lists the active users, owners and administrators apart, each group sorted by email, with realm_url', async () => {
    const server = await start(devRealm({ users: [{ ...OTHELLO }, { ...IAGO }, { ...HAMLET }, { ...DESDEMONA }] }));
    expect(await listUsers(server)).toEqual({
      status: 200,
      body: {
        result: 'success',
        msg: '',
        direct_admins: [
          { email: DESDEMONA.email, realm_url: server.url },
          { email: IAGO.email, realm_url: server.url },
        ],
        // Hamlet is deactivated: not offered.
        direct_users: [{ email: OTHELLO.email, realm_url: server.url }],
      },
    });
  });

  it('names the realm realm_uri below feature level 257', async () => {
    const server = await start(devRealm({ featureLevel: 256 }));
    const { body } = await listUsers(server);
    expect(body['direct_admins']).toContainEqual({ email: IAGO.email, realm_uri: server.url });
  });

  it('answers any method, as the view has no method decorator', async () => {
    const server = await start(devRealm());
    expect((await listUsers(server, { method: 'POST' })).status).toBe(200);
  });

  it('refuses with 400 when DevAuthBackend is off', async () => {
    const server = await start(createDemoRealm({ devAuthEnabled: false }));
    expect(await listUsers(server)).toEqual({ status: 400, body: { result: 'error', msg: 'DevAuthBackend not enabled.', code: 'BAD_REQUEST' } });
  });
});

describe('the development endpoints on a production server', () => {
  const paths = ['/api/v1/dev_list_users', '/api/v1/dev_fetch_api_key'];

  it.each([
    ['without DevAuthBackend', { production: true }],
    ['even with DevAuthBackend', { production: true, devAuthEnabled: true }],
  ])('are not routed from Zulip 4.0 (%s): fixture html_pages.not_found, for any method', async (_name, overrides) => {
    const server = await start(createDemoRealm(overrides));
    for (const path of paths) {
      for (const method of ['GET', 'POST']) {
        const response = await fetch(`${server.url}${path}`, { method, body: method === 'POST' ? new URLSearchParams({ username: IAGO.email }) : null });
        expect(await htmlPageSummary(response)).toEqual(expectedHtmlPage(zulipResponses.html_pages.not_found));
      }
    }
  });

  it.each([
    ['a production server (3.x)', { zulipVersion: '3.4', featureLevel: 27, production: true, devAuthEnabled: true }],
    ['DevAuthBackend off (2.1)', { zulipVersion: '2.1.8', featureLevel: 0 }],
  ])('answer fixture error_dev_environment_not_enabled_pre_4_0 before Zulip 4.0 on %s', async (_name, overrides) => {
    const server = await start(createDemoRealm(overrides));
    const fixture = zulipResponses.dev_fetch_api_key['error_dev_environment_not_enabled_pre_4_0']!;
    expect(await listUsers(server)).toEqual({ status: fixture.status, body: fixture.body });
    expect(await fetchKey(server, { username: IAGO.email })).toEqual({ status: fixture.status, body: fixture.body });
  });
});

describe('POST /api/v1/dev_fetch_api_key', () => {
  it('matches fixture success: the key, the delivery email and the user id, without a password', async () => {
    const server = await start(devRealm());
    const fixture = zulipResponses.dev_fetch_api_key['success']!;
    expect(await fetchKey(server, { username: IAGO.email })).toEqual({ status: fixture.status, body: fixture.body });
  });

  it('looks the user up case-insensitively and omits user_id below feature level 171', async () => {
    const server = await start(devRealm({ featureLevel: 170 }));
    expect(await fetchKey(server, { username: 'IAGO@zulip.com' })).toEqual({
      status: 200,
      body: { result: 'success', msg: '', api_key: IAGO.apiKey, email: IAGO.email },
    });
  });

  it('matches fixture error_dev_auth_disabled', async () => {
    const server = await start(createDemoRealm({ devAuthEnabled: false }));
    const fixture = zulipResponses.dev_fetch_api_key['error_dev_auth_disabled']!;
    expect(await fetchKey(server, { username: IAGO.email })).toEqual({ status: fixture.status, body: fixture.body });
  });

  it('matches fixture error_unknown_user for an email without an account', async () => {
    const server = await start(devRealm());
    const fixture = zulipResponses.dev_fetch_api_key['error_unknown_user']!;
    expect(await fetchKey(server, { username: 'nobody@zulip.com' })).toEqual({ status: fixture.status, body: fixture.body });
  });

  it('refuses a deactivated user, and everyone of a deactivated organization, with 401', async () => {
    const server = await start(devRealm());
    expect(await fetchKey(server, { username: HAMLET.email })).toEqual({
      status: 401,
      body: { result: 'error', msg: 'Account is deactivated', code: 'USER_DEACTIVATED' },
    });
    server.realm!.deactivated = true;
    expect(await fetchKey(server, { username: IAGO.email })).toEqual({
      status: 401,
      body: { result: 'error', msg: 'This organization has been deactivated', code: 'REALM_DEACTIVATED' },
    });
  });

  it('checks the method, then the username, then the backend, then the email, then the realm', async () => {
    const server = await start(createDemoRealm({ devAuthEnabled: false }));
    expect((await answer(await fetch(`${server.url}/api/v1/dev_fetch_api_key`))).status).toBe(405);
    expect(await fetchKey(server, {})).toMatchObject({ status: 400, body: { code: 'REQUEST_VARIABLE_MISSING', var_name: 'username' } });
    expect(await fetchKey(server, { username: 'not an email' })).toMatchObject({ status: 400, body: { msg: 'DevAuthBackend not enabled.' } });
    server.realm = devRealm();
    expect(await fetchKey(server, { username: 'not an email' })).toEqual({
      status: 400,
      body: { result: 'error', msg: 'Enter a valid email address.', code: 'BAD_REQUEST' },
    });
    const realmless = await start(null);
    expect(await fetchKey(realmless, { username: IAGO.email })).toEqual({
      status: 404,
      body: { result: 'error', msg: 'Invalid subdomain', code: 'NONEXISTENT_SUBDOMAIN' },
    });
  });

  it('answers 404 for an email of another organization on the server from feature level 76, as dev_login.py does', async () => {
    const server = await start(devRealm({ otherRealmUsers: [{ ...OTHELLO }] }));
    expect(await fetchKey(server, { username: OTHELLO.email })).toMatchObject({ status: 404, body: { code: 'NONEXISTENT_SUBDOMAIN' } });
    server.realm = devRealm({ featureLevel: 65, otherRealmUsers: [{ ...OTHELLO }] });
    expect(await fetchKey(server, { username: OTHELLO.email })).toMatchObject({ status: 403 });
  });

  it('below FL 76 answers as Zulip 2.1–4.x did: fixtures legacy_unregistered_pre_fl76 and fetch_api_key legacy_*_deactivated_pre_fl76', async () => {
    const server = await start(devRealm({ featureLevel: 75 }));
    const fixture = (group: 'dev_fetch_api_key' | 'fetch_api_key', name: string) => {
      const { status, body } = zulipResponse(group, name);
      return { status, body };
    };
    expect(await fetchKey(server, { username: 'nobody@zulip.com' })).toEqual(fixture('dev_fetch_api_key', 'legacy_unregistered_pre_fl76'));
    expect(await fetchKey(server, { username: HAMLET.email })).toEqual(fixture('fetch_api_key', 'legacy_user_deactivated_pre_fl76'));
    server.realm = devRealm({ featureLevel: 75, deactivated: true });
    expect(await fetchKey(server, { username: IAGO.email })).toEqual(fixture('fetch_api_key', 'legacy_realm_deactivated_pre_fl76'));
  });
});
