// The Zulip client against the fake Zulip server over real HTTP.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { createDemoRealm, DESDEMONA, IAGO } from '../../../test/fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../../../test/fake-zulip/fake-zulip-server';
import { hang, htmlPage, malformedJson, oversizedJson, redirectTo } from '../../../test/fake-zulip/faults';
import { regenerateApiKey, setRealmDeactivated, setUserActive } from '../../../test/fake-zulip/realm-admin';
import { zulipResponse, type ZulipResponseFixture } from '../../../test/fixtures/zulip-responses';
import { ApiError, type ApiFailure } from './api-error';
import { createZulipClient, type ZulipClient } from './api-client';

let server: FakeZulipServer;
let client: ZulipClient;

beforeEach(async () => {
  server = await startFakeZulip({ realm: createDemoRealm() });
  client = createZulipClient({ limits: { timeoutMs: 2_000 } });
});
afterEach(() => server.close());

async function failureOf(promise: Promise<unknown>): Promise<ApiFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error.failure;
    throw error;
  }
  throw new Error('expected the call to fail');
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  (_req: unknown, res: ServerResponse) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

/** Answers with a real Zulip response from test/fixtures, headers and all. */
const replay = (fixture: ZulipResponseFixture) => json(fixture.status, fixture.body, fixture.headers);

describe('server_settings', () => {
  it('describes the organization from the server\'s own answer', async () => {
    const realm = await client.getServerSettings(server.url);
    expect(realm).toEqual({
      realmUrl: server.url,
      name: 'Zulip Dev',
      iconUrl: `${server.url}/user_avatars/2/realm/icon.png?version=3`,
      zulipVersion: '10.0',
      featureLevel: 371,
      passwordAuth: true,
      usernameIsEmail: true,
      externalMethods: [],
      devAuth: false,
    });
  });

  it('recognises a development server by authentication_methods.dev', async () => {
    server.realm = createDemoRealm({ devAuthEnabled: true });
    expect(await client.getServerSettings(server.url)).toMatchObject({ devAuth: true });
  });

  it('takes the identity from realm_url, not from the address typed', async () => {
    await server.close();
    server = await startFakeZulip({ realm: createDemoRealm(), realmUrl: 'http://localhost:9' });
    expect((await client.getServerSettings(server.url)).realmUrl).toBe('http://localhost:9');
  });

  it('falls back to realm_uri on servers before feature level 257', async () => {
    server.realm = createDemoRealm({ featureLevel: 156, zulipVersion: '6.0' });
    const realm = await client.getServerSettings(server.url);
    expect(realm).toMatchObject({ realmUrl: server.url, featureLevel: 156, zulipVersion: '6.0' });
  });

  it('reads LDAP realms with usernames', async () => {
    server.realm = createDemoRealm({ emailAuthEnabled: false, ldapEnabled: true });
    expect(await client.getServerSettings(server.url)).toMatchObject({ passwordAuth: true, usernameIsEmail: false });
  });

  it('reads SSO-only realms and their methods in the server\'s order', async () => {
    server.realm = createDemoRealm({
      emailAuthEnabled: false,
      externalAuthenticationMethods: [
        { name: 'saml:idp_name', display_name: 'SAML', display_icon: null, login_url: '/accounts/login/social/saml/idp_name', signup_url: '/accounts/register/social/saml/idp_name' },
        { name: 'github', display_name: 'GitHub', display_icon: '/static/images/authentication_backends/github-icon.png', login_url: '/accounts/login/social/github', signup_url: '/accounts/register/social/github' },
      ],
    });
    expect(await client.getServerSettings(server.url)).toMatchObject({
      passwordAuth: false,
      externalMethods: [
        { name: 'saml:idp_name', displayName: 'SAML', iconUrl: null, loginUrl: '/accounts/login/social/saml/idp_name', completionOrigin: null },
        { name: 'github', displayName: 'GitHub', iconUrl: `${server.url}/static/images/authentication_backends/github-icon.png`, loginUrl: '/accounts/login/social/github', completionOrigin: null },
      ],
    });
  });

  it('reports no organization for an unknown subdomain and for a root without realm', async () => {
    server.realm = null;
    expect(await failureOf(client.getServerSettings(server.url))).toEqual({ kind: 'no-realm' });
    server.realmlessHost = 'root';
    expect(await failureOf(client.getServerSettings(server.url))).toEqual({ kind: 'no-realm' });
    server.realmlessHost = 'root-landing-page';
    expect(await failureOf(client.getServerSettings(server.url))).toEqual({ kind: 'no-realm' });
  });

  it('refuses a realm that names a plain-http, non-loopback address for itself', async () => {
    await server.close();
    server = await startFakeZulip({ realm: createDemoRealm(), realmUrl: 'http://chat.example.com' });
    expect(await failureOf(client.getServerSettings(server.url))).toEqual({ kind: 'insecure-realm', realmUrl: 'http://chat.example.com' });
  });
});

describe('fetch_api_key', () => {
  it('posts a form, without cookies or the password in the URL, and returns the key', async () => {
    const grant = await client.fetchApiKey(server.url, IAGO.email, IAGO.password);
    expect(grant).toEqual({ apiKey: IAGO.apiKey, email: IAGO.email, userId: IAGO.userId });
    const request = server.requests.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(request.body).get('password')).toBe(IAGO.password);
    expect(request.path + request.query).not.toContain(IAGO.password);
    expect(request.headers.cookie).toBeUndefined();
  });

  it('returns the email the server knows, not the one typed', async () => {
    expect((await client.fetchApiKey(server.url, DESDEMONA.email.toUpperCase(), DESDEMONA.password)).email).toBe(DESDEMONA.email);
  });

  it('has no user id on servers before feature level 171, and users/me supplies it', async () => {
    server.realm = createDemoRealm({ featureLevel: 156 });
    const grant = await client.fetchApiKey(server.url, IAGO.email, IAGO.password);
    expect(grant.userId).toBeNull();
    expect(await client.getOwnUser(server.url, grant.email, grant.apiKey)).toEqual({ userId: IAGO.userId, email: IAGO.email });
  });

  it.each([
    ['wrong password', IAGO.email, 'nope', { status: 401, code: 'AUTHENTICATION_FAILED' }],
    ['deactivated user', 'hamlet@zulip.com', 'hamlet-pw', { status: 401, code: 'USER_DEACTIVATED' }],
    ['username that is not an email', 'iago', 'x', { status: 400, code: 'BAD_REQUEST' }],
  ])('carries Zulip\'s status and code for a %s', async (_name, username, password, expected) => {
    expect(await failureOf(client.fetchApiKey(server.url, username, password))).toMatchObject({ kind: 'zulip', ...expected });
  });

  it('uses HTTP 403 on servers before Zulip 5.0 and the client still sees the code', async () => {
    server.realm = createDemoRealm({ featureLevel: 65 });
    expect(await failureOf(client.fetchApiKey(server.url, IAGO.email, 'nope'))).toMatchObject({ status: 403, code: 'AUTHENTICATION_FAILED' });
  });

  it('rounds a float retry-after up to whole seconds', async () => {
    for (let attempt = 0; attempt < 5; attempt++) await failureOf(client.fetchApiKey(server.url, IAGO.email, 'nope'));
    const failure = await failureOf(client.fetchApiKey(server.url, IAGO.email, IAGO.password));
    expect(failure).toMatchObject({ kind: 'zulip', status: 429, code: 'RATE_LIMIT_HIT' });
    const seconds = (failure as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(Number.isInteger(seconds) && seconds > 1795 && seconds <= 1800).toBe(true);
  });

  it('understands a 429 from a proxy that sends only a Retry-After header', async () => {
    server.override('/api/v1/fetch_api_key', (_req, res) => {
      res.writeHead(429, { 'Content-Type': 'text/html', 'Retry-After': '12.2' });
      res.end('<h1>Slow down</h1>');
    });
    expect(await failureOf(client.fetchApiKey(server.url, IAGO.email, IAGO.password))).toMatchObject({ status: 429, retryAfterSeconds: 13 });
  });
});

describe('checking a stored key with users/me', () => {
  const check = (email: string = IAGO.email, apiKey: string = IAGO.apiKey) => client.checkApiKey(server.url, email, apiKey);

  it('accepts a working key and says whose it is, sending it only in the Authorization header', async () => {
    expect(await check()).toEqual({ kind: 'valid', userId: IAGO.userId });
    const request = server.requests.at(-1)!;
    expect(request).toMatchObject({ method: 'GET', path: '/api/v1/users/me', query: '' });
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`${IAGO.email}:${IAGO.apiKey}`).toString('base64')}`);
    expect(request.headers['accept-language']).toBe('en');
    expect(request.headers.cookie).toBeUndefined();
  });

  it('a regenerated key is invalid', async () => {
    regenerateApiKey(server.realm!, IAGO.email);
    expect(await check()).toEqual({ kind: 'invalid' });
  });

  it('a deactivated user and a deactivated organization are told apart', async () => {
    setUserActive(server.realm!, IAGO.email, false);
    expect(await check()).toEqual({ kind: 'user-deactivated' });
    setRealmDeactivated(server.realm!, true);
    expect(await check()).toEqual({ kind: 'realm-deactivated' });
  });

  it.each([
    ['the key of another user', IAGO.email, DESDEMONA.apiKey],
    ['a malformed key', IAGO.email, 'short'],
    ['an email with a colon, which breaks the header', 'iago:x@zulip.com', IAGO.apiKey],
  ])('%s is invalid', async (_name, email, apiKey) => {
    expect(await check(email, apiKey)).toEqual({ kind: 'invalid' });
  });

  it('a key valid on another organization of the server is invalid here', async () => {
    const other = { email: 'othello@elsewhere.com', password: 'pw', apiKey: 'B'.repeat(32), userId: 40, fullName: 'Othello' };
    server.realm = createDemoRealm({ otherRealmUsers: [other] });
    expect(await check(other.email, other.apiKey)).toEqual({ kind: 'invalid' });
  });

  it.each<[string, Record<string, unknown> | string, string]>([
    ['the spec example code INVALID_API_KEY', { result: 'error', msg: 'Invalid API key', code: 'INVALID_API_KEY' }, 'invalid'],
    ['no code at all', { result: 'error', msg: 'Invalid API key' }, 'invalid'],
    ['an unknown code and msg', { result: 'error', msg: 'Schlüssel ungültig', code: 'SOMETHING_NEW' }, 'invalid'],
    ['an HTML body', '<h1>401 Unauthorized</h1>', 'invalid'],
    ['code USER_DEACTIVATED', { result: 'error', msg: 'Konto deaktiviert', code: 'USER_DEACTIVATED' }, 'user-deactivated'],
    ['code REALM_DEACTIVATED', { result: 'error', msg: 'Organisation deaktiviert', code: 'REALM_DEACTIVATED' }, 'realm-deactivated'],
    ['the spec example msg for a deactivated realm', { result: 'error', msg: 'This organization is deactivated', code: 'UNAUTHORIZED' }, 'realm-deactivated'],
  ])('any 401 refuses the key: %s', async (_name, body, kind) => {
    server.override('/api/v1/users/me', json(401, body, { 'WWW-Authenticate': 'Basic realm="zulip"' }));
    expect(await check()).toEqual({ kind });
  });

  it.each<[string, Parameters<FakeZulipServer['override']>[1], ApiFailure]>([
    ['an HTML 500', htmlPage(500), { kind: 'server-error', status: 500 }],
    ['an HTML 502', htmlPage(502), { kind: 'server-error', status: 502 }],
    ['a 429 with a float retry-after', json(429, { result: 'error', msg: 'API usage exceeded rate limit', code: 'RATE_LIMIT_HIT', 'retry-after': 2.5 }, { 'Retry-After': '2.5' }), { kind: 'zulip', status: 429, code: 'RATE_LIMIT_HIT', msg: 'API usage exceeded rate limit', retryAfterSeconds: 3 }],
    ['a 400 from a proxy that drops the Authorization header', json(400, { result: 'error', msg: 'This endpoint requires HTTP basic authentication.', code: 'BAD_REQUEST' }), { kind: 'zulip', status: 400, code: 'BAD_REQUEST', msg: 'This endpoint requires HTTP basic authentication.', retryAfterSeconds: null }],
    ['a 403 from a firewall', htmlPage(403), { kind: 'not-zulip', status: 403 }],
    ['a redirect', redirectTo('https://elsewhere.example.com/'), { kind: 'redirect', location: 'https://elsewhere.example.com/' }],
    ['a 200 without user_id', json(200, { result: 'success', msg: '' }), { kind: 'malformed', status: 200 }],
  ])('no verdict from %s: it throws', async (_name, fault, expected) => {
    server.override('/api/v1/users/me', fault);
    expect(await failureOf(check())).toEqual(expected);
  });

  it('no verdict from a server that never answers, or is not there', async () => {
    server.override('/api/v1/users/me', hang());
    const quick = createZulipClient({ limits: { timeoutMs: 200 } });
    expect(await failureOf(quick.checkApiKey(server.url, IAGO.email, IAGO.apiKey))).toEqual({ kind: 'timeout' });
    const url = server.url;
    await server.close();
    server = await startFakeZulip({ realm: createDemoRealm() });
    expect(await failureOf(client.checkApiKey(url, IAGO.email, IAGO.apiKey))).toEqual({ kind: 'network' });
  });
});

describe('checking a pasted key with users/me', () => {
  const verify = (email: string, apiKey: string) => client.verifyApiKey(server.url, email, apiKey);

  it('accepts a working key and says whose it is', async () => {
    expect(await verify(IAGO.email, IAGO.apiKey)).toEqual({ kind: 'valid', userId: IAGO.userId });
    expect(server.requests.at(-1)!.headers.authorization).toBe(`Basic ${Buffer.from(`${IAGO.email}:${IAGO.apiKey}`).toString('base64')}`);
  });

  it('tells a malformed key and another organization\'s key from an unknown one, which checkApiKey does not', async () => {
    const other = { email: 'othello@elsewhere.com', password: 'pw', apiKey: 'B'.repeat(32), userId: 40, fullName: 'Othello' };
    server.realm = createDemoRealm({ otherRealmUsers: [other] });
    expect(await verify(IAGO.email, DESDEMONA.apiKey)).toEqual({ kind: 'invalid' });
    expect(await verify(IAGO.email, 'short')).toEqual({ kind: 'malformed' });
    expect(await verify(other.email, other.apiKey)).toEqual({ kind: 'other-realm' });
    expect(await client.checkApiKey(server.url, other.email, other.apiKey)).toEqual({ kind: 'invalid' });
  });

  it('tells the deactivations apart', async () => {
    setUserActive(server.realm!, IAGO.email, false);
    expect(await verify(IAGO.email, IAGO.apiKey)).toEqual({ kind: 'user-deactivated' });
    setRealmDeactivated(server.realm!, true);
    expect(await verify(IAGO.email, IAGO.apiKey)).toEqual({ kind: 'realm-deactivated' });
  });
});

describe('development sign-in', () => {
  beforeEach(() => {
    server.realm = createDemoRealm({ devAuthEnabled: true });
  });

  it('lists the users with their realm, admins apart, in English', async () => {
    expect(await client.devListUsers(server.url)).toEqual({
      admins: [
        { email: DESDEMONA.email, realmUrl: server.url },
        { email: IAGO.email, realmUrl: server.url },
      ],
      users: [],
    });
    expect(server.requests.at(-1)).toMatchObject({ method: 'GET', path: '/api/v1/dev_list_users' });
    expect(server.requests.at(-1)!.headers['accept-language']).toBe('en');
  });

  it('reads realm_uri from servers before feature level 257', async () => {
    server.realm = createDemoRealm({ devAuthEnabled: true, featureLevel: 200 });
    expect((await client.devListUsers(server.url)).admins[0]).toEqual({ email: DESDEMONA.email, realmUrl: server.url });
  });

  it('fetches a key without a password, as a form field username', async () => {
    expect(await client.devFetchApiKey(server.url, IAGO.email)).toEqual({ apiKey: IAGO.apiKey, email: IAGO.email, userId: IAGO.userId });
    const request = server.requests.at(-1)!;
    expect(request).toMatchObject({ method: 'POST', path: '/api/v1/dev_fetch_api_key', query: '' });
    expect(request.body).toBe(`username=${encodeURIComponent(IAGO.email)}`);
  });

  it('throws the server\'s refusals with their msg', async () => {
    server.realm = createDemoRealm({ devAuthEnabled: false });
    expect(await failureOf(client.devListUsers(server.url))).toMatchObject({ kind: 'zulip', status: 400, msg: 'DevAuthBackend not enabled.' });
    expect(await failureOf(client.devFetchApiKey(server.url, IAGO.email))).toMatchObject({ kind: 'zulip', status: 400, msg: 'DevAuthBackend not enabled.' });
  });

  it('refuses a list that is not one', async () => {
    server.override('/api/v1/dev_list_users', json(200, { result: 'success', msg: '', direct_admins: 'everyone' }));
    expect(await failureOf(client.devListUsers(server.url))).toEqual({ kind: 'malformed', status: 200 });
  });
});

describe('answers that are not Zulip', () => {
  const settings = '/api/v1/server_settings';
  it.each<[string, Parameters<FakeZulipServer['override']>[1], ApiFailure]>([
    ['an HTML page with 200', htmlPage(200), { kind: 'not-zulip', status: 200 }],
    ['an HTML 404', htmlPage(404), { kind: 'not-zulip', status: 404 }],
    ['an HTML 502', htmlPage(502), { kind: 'server-error', status: 502 }],
    ['an HTML 503', htmlPage(503), { kind: 'server-error', status: 503 }],
    ['a JSON 500 without result', json(500, { error: 'boom' }), { kind: 'server-error', status: 500 }],
    ['broken JSON', malformedJson(), { kind: 'not-zulip', status: 200 }],
    ['JSON without result', json(200, { zulip_version: '10.0' }), { kind: 'not-zulip', status: 200 }],
    ['fields of the wrong type', json(200, { result: 'success', msg: '', zulip_version: 10, realm_name: 'x' }), { kind: 'malformed', status: 200 }],
    ['a body over 1 MiB with its length declared', oversizedJson(2 * 1024 * 1024, { declareLength: true }), { kind: 'too-large' }],
    ['a body over 1 MiB streamed without a length', oversizedJson(2 * 1024 * 1024, { declareLength: false }), { kind: 'too-large' }],
    ['a redirect to another origin', redirectTo('https://elsewhere.example.com/api/v1/server_settings'), { kind: 'redirect', location: 'https://elsewhere.example.com/api/v1/server_settings' }],
  ])('%s', async (_name, fault, expected) => {
    server.override(settings, fault);
    expect(await failureOf(client.getServerSettings(server.url))).toEqual(expected);
  });

  it('an api_key of the wrong format', async () => {
    server.override('/api/v1/fetch_api_key', json(200, { result: 'success', msg: '', api_key: 'short', email: IAGO.email, user_id: 5 }));
    expect(await failureOf(client.fetchApiKey(server.url, IAGO.email, IAGO.password))).toEqual({ kind: 'malformed', status: 200 });
  });

  it('a server that never answers times out', async () => {
    server.override(settings, hang());
    const quick = createZulipClient({ limits: { timeoutMs: 200 } });
    expect(await failureOf(quick.getServerSettings(server.url))).toEqual({ kind: 'timeout' });
  });

  it('a refused connection is a network failure', async () => {
    const url = server.url;
    await server.close();
    server = await startFakeZulip({ realm: createDemoRealm() });
    expect(await failureOf(client.getServerSettings(url))).toEqual({ kind: 'network' });
  });

  it('a name that does not resolve is a network failure', async () => {
    expect(await failureOf(client.getServerSettings('https://does-not-exist.invalid'))).toEqual({ kind: 'network' });
  });

  it('finds the target of a redirect the browser hides (opaqueredirect), with a GET that carries nothing', async () => {
    server.override('/api/v1/fetch_api_key', redirectTo(`${server.url}/moved`, 307));
    const seen: RequestInit[] = [];
    const browserLike = createZulipClient({
      fetch: async (input, init) => {
        seen.push(init);
        if (init.redirect === 'manual') return { type: 'opaqueredirect', status: 0, headers: new Headers(), body: null } as unknown as Response;
        return fetch(input, init);
      },
    });
    expect(await failureOf(browserLike.fetchApiKey(server.url, IAGO.email, IAGO.password))).toEqual({ kind: 'redirect', location: `${server.url}/moved` });
    expect(seen[1]).toMatchObject({ method: 'GET', credentials: 'omit' });
    expect(seen[1]).not.toHaveProperty('body');
    expect(server.requests.some((r) => r.body.includes(IAGO.password))).toBe(false);
  });
});

describe('what real servers answer that is no verdict, or comes from an old version', () => {
  it.each([
    ['legacy_wrong_password_pre_fl76', 'AUTHENTICATION_FAILED'],
    ['legacy_user_deactivated_pre_fl76', 'USER_DEACTIVATED'],
    ['legacy_realm_deactivated_pre_fl76', 'REALM_DEACTIVATED'],
    ['legacy_password_auth_disabled_pre_fl76', 'PASSWORD_AUTH_DISABLED'],
    ['legacy_password_reset_needed_fl62_to_75', 'PASSWORD_RESET_REQUIRED'],
  ])('fetch_api_key %s (a 403 with a reason and no code) gets the code of its modern form, %s', async (name, code) => {
    const fixture = zulipResponse('fetch_api_key', name);
    server.override('/api/v1/fetch_api_key', replay(fixture));
    expect(await failureOf(client.fetchApiKey(server.url, IAGO.email, IAGO.password))).toMatchObject({ kind: 'zulip', status: 403, code, msg: fixture.body['msg'] });
  });

  it('dev_fetch_api_key legacy_unregistered_pre_fl76 ("This user is not registered.") gets AUTHENTICATION_FAILED, as an unknown user does today', async () => {
    server.override('/api/v1/dev_fetch_api_key', replay(zulipResponse('dev_fetch_api_key', 'legacy_unregistered_pre_fl76')));
    expect(await failureOf(client.devFetchApiKey(server.url, 'nobody@zulip.com'))).toMatchObject({ kind: 'zulip', status: 403, code: 'AUTHENTICATION_FAILED' });
  });

  it('a reason is read only where Zulip sent one: a 400 with a reason field keeps no code', async () => {
    server.override('/api/v1/fetch_api_key', json(400, { result: 'error', msg: 'Enter a valid email address.', reason: 'user disable' }));
    expect(await failureOf(client.fetchApiKey(server.url, IAGO.email, IAGO.password))).toMatchObject({ kind: 'zulip', status: 400, code: null });
  });

  it('users/me legacy_account_not_active_pre_1_9 ("Account not active") is a deactivated user', async () => {
    server.override('/api/v1/users/me', replay(zulipResponse('users_me', 'legacy_account_not_active_pre_1_9')));
    expect(await client.checkApiKey(server.url, IAGO.email, IAGO.apiKey)).toEqual({ kind: 'user-deactivated' });
    expect(await client.verifyApiKey(server.url, IAGO.email, IAGO.apiKey)).toEqual({ kind: 'user-deactivated' });
  });

  it.each(['legacy_invalid_api_key_pre_fl134', 'legacy_user_deactivated_pre_fl134'])('users/me %s (a 401 without code) is still a verdict', async (name) => {
    server.override('/api/v1/users/me', replay(zulipResponse('users_me', name)));
    expect((await client.checkApiKey(server.url, IAGO.email, IAGO.apiKey)).kind).toBe(name.includes('deactivated') ? 'user-deactivated' : 'invalid');
  });

  it.each(['error_missing_auth_header', 'legacy_missing_auth_header_pre_fl134'])(
    'users/me %s ("Not logged in: API authentication or user session required") is no verdict: the key did not reach the server',
    async (name) => {
      server.override('/api/v1/users/me', replay(zulipResponse('users_me', name)));
      expect(await failureOf(client.checkApiKey(server.url, IAGO.email, IAGO.apiKey))).toEqual({ kind: 'key-not-received' });
      expect(await failureOf(client.verifyApiKey(server.url, IAGO.email, IAGO.apiKey))).toEqual({ kind: 'key-not-received' });
      expect(await failureOf(client.getOwnUser(server.url, IAGO.email, IAGO.apiKey))).toEqual({ kind: 'key-not-received' });
    },
  );

  it('a proxy that strips the Authorization header makes the real server answer "Not logged in", which is no verdict', async () => {
    server.stripAuthorization = true;
    expect(await failureOf(client.checkApiKey(server.url, IAGO.email, IAGO.apiKey))).toEqual({ kind: 'key-not-received' });
    expect(server.requests.at(-1)!.headers.authorization).toBeUndefined();
  });

  it("Zulip's own error_internal_server_error (a JSON 500 without code) is a server error, whatever the call", async () => {
    const fixture = zulipResponse('users_me', 'error_internal_server_error');
    for (const path of ['/api/v1/fetch_api_key', '/api/v1/users/me', '/api/v1/server_settings']) server.override(path, replay(fixture));
    expect(await failureOf(client.fetchApiKey(server.url, IAGO.email, IAGO.password))).toEqual({ kind: 'server-error', status: 500 });
    expect(await failureOf(client.checkApiKey(server.url, IAGO.email, IAGO.apiKey))).toEqual({ kind: 'server-error', status: 500 });
    expect(await failureOf(client.getServerSettings(server.url))).toEqual({ kind: 'server-error', status: 500 });
  });

  it('users/me says who a key belongs to, with the email as the server spells it', async () => {
    expect(await client.getOwnUser(server.url, IAGO.email.toUpperCase(), IAGO.apiKey)).toEqual({ userId: IAGO.userId, email: IAGO.email });
  });
});
