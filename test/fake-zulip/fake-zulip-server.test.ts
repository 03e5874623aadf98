import { afterEach, describe, expect, it } from 'vitest';
import { createDemoRealm, DESDEMONA, demoRealm, HAMLET, IAGO } from './demo-realm';
import { isValidEmail, pythonB64decode, pythonFloat, userAgentName } from './django-compat';
import { startFakeZulip, type FakeRealmConfig, type FakeZulipServer, type StartOptions } from './fake-zulip-server';
import { regenerateApiKey, setRealmDeactivated, setUserActive } from './realm-admin';
import { expectedHtmlPage, FIXTURE_REALM_URL, htmlPageSummary, zulipResponse, zulipResponses, type ZulipResponseFixture } from '../fixtures/zulip-responses';
import { hang, htmlPage, malformedJson, methodNotAllowed, oversizedJson, redirectTo, stalledBody, zulipInternalError } from './faults';

// ---------------------------------------------------------------- fixtures

/** Deep copy with the fixture's realm URL replaced by the fake's. */
function withRealmUrl<T>(value: T, realmUrl: string, from = FIXTURE_REALM_URL): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v === from || v.startsWith(`${from}/`) ? realmUrl + v.slice(from.length) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

async function expectFixture(res: Response, fx: ZulipResponseFixture, realmUrl: string, from = FIXTURE_REALM_URL): Promise<void> {
  expect(res.status).toBe(fx.status);
  for (const [name, value] of Object.entries(fx.headers ?? {})) expect(res.headers.get(name)).toBe(value);
  expect(JSON.parse(await res.text())).toStrictEqual(withRealmUrl(fx.body, realmUrl, from));
}

// ---------------------------------------------------------------- helpers

const servers: FakeZulipServer[] = [];

async function start(options: StartOptions): Promise<FakeZulipServer> {
  const server = await startFakeZulip(options);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function settings(server: FakeZulipServer, init?: RequestInit): Promise<Response> {
  return fetch(`${server.url}/api/v1/server_settings`, init);
}

function login(server: FakeZulipServer, fields: Record<string, string>): Promise<Response> {
  return fetch(`${server.url}/api/v1/fetch_api_key`, { method: 'POST', body: new URLSearchParams(fields) });
}

function basic(email: string, apiKey: string): string {
  return `Basic ${Buffer.from(`${email}:${apiKey}`).toString('base64')}`;
}

function me(server: FakeZulipServer, authorization?: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (authorization !== undefined) headers.set('Authorization', authorization);
  return fetch(`${server.url}/api/v1/users/me`, { ...init, headers });
}

async function json(res: Response): Promise<Record<string, unknown>> {
  return JSON.parse(await res.text()) as Record<string, unknown>;
}

/** Makes `count` failed logins for `username`, each answered with `status`. */
async function failLogins(server: FakeZulipServer, username: string, count: number, status = 401): Promise<void> {
  for (let i = 0; i < count; i++) {
    const res = await login(server, { username, password: 'wrong' });
    expect(res.status).toBe(status);
    await res.arrayBuffer();
  }
}

const exampleRealm = (overrides: Partial<FakeRealmConfig> = {}): FakeRealmConfig => ({
  name: 'Example Org',
  icon: 'https://secure.gravatar.com/avatar/62429d594b6ffc712f54aee976a18b44?d=identicon',
  description: '<p>An example organization.</p>',
  pushNotificationsEnabled: true,
  users: [{ ...IAGO }, { ...DESDEMONA }, { ...HAMLET }],
  ...overrides,
});

// ---------------------------------------------------------------- server_settings

describe('GET /api/v1/server_settings', () => {
  it('matches fixture password_realm_fl371', async () => {
    const server = await start({ realm: exampleRealm() });
    await expectFixture(await settings(server), zulipResponse('server_settings', 'password_realm_fl371'), server.url);
  });

  it('matches fixture sso_only_realm_fl371 (external methods flip their authentication_methods keys)', async () => {
    const fx = zulipResponse('server_settings', 'sso_only_realm_fl371');
    const server = await start({
      realm: {
        name: 'SSO Org',
        icon: '/user_avatars/2/realm/icon.png?version=3',
        description: '<p>Log in with your company account.</p>',
        emailAuthEnabled: false,
        pushNotificationsEnabled: true,
        externalAuthenticationMethods: fx.body['external_authentication_methods'] as FakeRealmConfig['externalAuthenticationMethods'],
        users: [],
      },
    });
    await expectFixture(await settings(server), fx, server.url);
  });

  it('matches fixture ldap_realm_non_email_usernames (require_email_format_usernames follows LDAP)', async () => {
    const server = await start({
      realm: {
        name: 'LDAP Org',
        icon: '/user_avatars/3/realm/icon.png?version=1',
        description: '',
        emailAuthEnabled: false,
        ldapEnabled: true,
        users: [],
      },
    });
    await expectFixture(await settings(server), zulipResponse('server_settings', 'ldap_realm_non_email_usernames'), server.url);
  });

  it('matches fixture old_server_zulip_6_fl156_no_realm_url (no realm_url below FL 257)', async () => {
    const server = await start({
      realm: {
        name: 'Old Org',
        icon: 'https://secure.gravatar.com/avatar/62429d594b6ffc712f54aee976a18b44?d=identicon',
        description: '<p>Still on 6.0.</p>',
        zulipVersion: '6.0',
        featureLevel: 156,
        // The fixture's key set for this version; see authBackendKeys.
        authBackendKeys: ['dev', 'email', 'ldap', 'remoteuser', 'github', 'azuread', 'google', 'saml'],
        users: [],
      },
    });
    await expectFixture(
      await settings(server),
      zulipResponse('server_settings', 'old_server_zulip_6_fl156_no_realm_url'),
      server.url,
    );
  });

  it('matches fixture root_domain_without_realm (no realm_name/icon/description, realm_uri = root)', async () => {
    const server = await start({ realm: null, realmlessHost: 'root' });
    await expectFixture(
      await settings(server),
      zulipResponse('server_settings', 'root_domain_without_realm'),
      server.url,
      'https://example.com',
    );
  });

  it('matches fixture error_invalid_subdomain for a host without a realm (400, not 404)', async () => {
    const server = await start({ realm: null });
    await expectFixture(await settings(server), zulipResponse('server_settings', 'error_invalid_subdomain'), server.url);
  });

  it('matches fixture error_subdomain_required on a root domain with a landing page', async () => {
    const server = await start({ realm: null, realmlessHost: 'root-landing-page' });
    await expectFixture(await settings(server), zulipResponse('server_settings', 'error_subdomain_required'), server.url);
  });

  it('sends realm_uri/realm_url as the configured realmUrl, without a trailing slash', async () => {
    const server = await start({ realm: exampleRealm(), realmUrl: 'https://chat.example.com/' });
    const body = await json(await settings(server));
    expect(body['realm_uri']).toBe('https://chat.example.com');
    expect(body['realm_url']).toBe('https://chat.example.com');
  });

  it('answers HEAD with the JSON headers and no body', async () => {
    const server = await start({ realm: exampleRealm() });
    const res = await settings(server, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.text()).toBe('');
  });

  it("answers other methods with Django's bare 405 (empty text/html body, Allow: GET, HEAD)", async () => {
    const server = await start({ realm: exampleRealm() });
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await settings(server, { method });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await res.text()).toBe('');
    }
  });

  it('reports is_incompatible only for the ZulipInvalid user agent', async () => {
    const server = await start({ realm: exampleRealm() });
    const ua = async (userAgent: string) =>
      (await json(await settings(server, { headers: { 'User-Agent': userAgent } })))['is_incompatible'];
    expect(await ua('ZulipInvalid/1.0')).toBe(true);
    expect(await ua('ZulipInvalid')).toBe(true);
    expect(await ua('ZulipFlutter/0.0.15+15 (Android 14)')).toBe(false);
    expect(await ua('KeyringForZulip/0.1.0')).toBe(false);
  });

  it('gates fields on the feature level: FL 1, 88, 116, 257', async () => {
    const server = await start({ realm: exampleRealm() });
    const keysAt = async (featureLevel: number) => {
      server.realm = exampleRealm({ featureLevel });
      return Object.keys(await json(await settings(server)));
    };
    const gated = ['zulip_feature_level', 'zulip_merge_base', 'realm_web_public_access_enabled', 'realm_url'];
    const present = (keys: string[]) => gated.filter((k) => keys.includes(k));
    expect(present(await keysAt(0))).toEqual([]);
    expect(present(await keysAt(1))).toEqual(['zulip_feature_level']);
    expect(present(await keysAt(88))).toEqual(['zulip_feature_level', 'zulip_merge_base']);
    expect(present(await keysAt(116))).toEqual(['zulip_feature_level', 'zulip_merge_base', 'realm_web_public_access_enabled']);
    expect(present(await keysAt(256))).not.toContain('realm_url');
    expect(present(await keysAt(257))).toEqual(gated);
    for (const fl of [0, 156, 371]) expect(await keysAt(fl)).toContain('realm_uri');
  });

  it('names SAML and OIDC methods "saml" and "openid connect" in authentication_methods', async () => {
    const method = (name: string) => ({ name, display_name: name, display_icon: null, login_url: '/x', signup_url: '/y' });
    const server = await start({
      realm: exampleRealm({ externalAuthenticationMethods: [method('saml:okta'), method('oidc:oidc'), method('gitlab')] }),
    });
    const methods = (await json(await settings(server)))['authentication_methods'];
    expect(methods).toMatchObject({ saml: true, 'openid connect': true, gitlab: true, github: false, password: true });
  });
});

// ---------------------------------------------------------------- fetch_api_key

describe('POST /api/v1/fetch_api_key', () => {
  it('matches fixture success (returns the existing key, delivery email and user_id)', async () => {
    const server = await start({ realm: createDemoRealm() });
    const req = zulipResponse('fetch_api_key', 'request_example') as unknown as { body: string; headers: Record<string, string> };
    const res = await fetch(`${server.url}/api/v1/fetch_api_key`, { method: 'POST', headers: req.headers, body: req.body });
    await expectFixture(res, zulipResponse('fetch_api_key', 'success'), server.url);
  });

  it('matches fixture success_old_server_no_user_id below FL 171', async () => {
    const server = await start({ realm: createDemoRealm({ zulipVersion: '6.0', featureLevel: 156 }) });
    const res = await login(server, { username: IAGO.email, password: IAGO.password });
    await expectFixture(res, zulipResponse('fetch_api_key', 'success_old_server_no_user_id'), server.url);
  });

  it('matches fixture success_with_ignored_params (FL 167+), not counting `client`', async () => {
    const server = await start({ realm: createDemoRealm() });
    const res = await login(server, {
      username: IAGO.email,
      password: IAGO.password,
      remember_me: 'true',
      client: 'KeyringForZulip',
    });
    await expectFixture(res, zulipResponse('fetch_api_key', 'success_with_ignored_params'), server.url);
  });

  it('omits ignored_parameters_unsupported below FL 167 and when nothing was ignored', async () => {
    const server = await start({ realm: createDemoRealm({ featureLevel: 166 }) });
    const old = await json(await login(server, { username: IAGO.email, password: IAGO.password, remember_me: 'true' }));
    expect(old).not.toHaveProperty('ignored_parameters_unsupported');
    server.realm = createDemoRealm();
    const plain = await json(await login(server, { username: IAGO.email, password: IAGO.password }));
    expect(plain).not.toHaveProperty('ignored_parameters_unsupported');
  });

  it('matches fixture error_wrong_password', async () => {
    const server = await start({ realm: createDemoRealm() });
    await expectFixture(
      await login(server, { username: IAGO.email, password: 'nope' }),
      zulipResponse('fetch_api_key', 'error_wrong_password'),
      server.url,
    );
  });

  it('answers an unknown email like a wrong password', async () => {
    const server = await start({ realm: createDemoRealm() });
    await expectFixture(
      await login(server, { username: 'nobody@zulip.com', password: 'abcd1234' }),
      zulipResponse('fetch_api_key', 'error_wrong_password'),
      server.url,
    );
  });

  it('matches fixture error_user_deactivated, with the right password and with a wrong one', async () => {
    const server = await start({ realm: createDemoRealm() });
    for (const password of [HAMLET.password, 'wrong']) {
      await expectFixture(
        await login(server, { username: HAMLET.email, password }),
        zulipResponse('fetch_api_key', 'error_user_deactivated'),
        server.url,
      );
    }
  });

  it('matches fixture error_realm_deactivated for existing users; unknown emails still get AUTHENTICATION_FAILED', async () => {
    const server = await start({ realm: createDemoRealm({ deactivated: true }) });
    for (const password of [IAGO.password, 'wrong']) {
      await expectFixture(
        await login(server, { username: IAGO.email, password }),
        zulipResponse('fetch_api_key', 'error_realm_deactivated'),
        server.url,
      );
    }
    expect((await json(await login(server, { username: 'nobody@zulip.com', password: 'x' })))['code']).toBe(
      'AUTHENTICATION_FAILED',
    );
  });

  it('matches fixture error_password_auth_disabled, even for an unknown email', async () => {
    const server = await start({ realm: createDemoRealm({ emailAuthEnabled: false }) });
    for (const [username, password] of [
      ['nobody@zulip.com', 'whatever'],
      [IAGO.email, IAGO.password],
    ] as const) {
      await expectFixture(
        await login(server, { username, password }),
        zulipResponse('fetch_api_key', 'error_password_auth_disabled'),
        server.url,
      );
    }
  });

  it('matches fixture error_password_reset_required for the right password only', async () => {
    const realm = createDemoRealm();
    realm.users = realm.users.map((u) => (u.email === IAGO.email ? { ...u, passwordResetRequired: true } : u));
    const server = await start({ realm });
    await expectFixture(
      await login(server, { username: IAGO.email, password: IAGO.password }),
      zulipResponse('fetch_api_key', 'error_password_reset_required'),
      server.url,
    );
    expect((await json(await login(server, { username: IAGO.email, password: 'wrong' })))['code']).toBe(
      'AUTHENTICATION_FAILED',
    );
  });

  it('matches fixture error_invalid_subdomain when the host has no realm', async () => {
    const server = await start({ realm: null });
    await expectFixture(
      await login(server, { username: IAGO.email, password: IAGO.password }),
      zulipResponse('fetch_api_key', 'error_invalid_subdomain'),
      server.url,
    );
  });

  describe('an email that belongs to another realm on the server', () => {
    const other = { email: 'othello@elsewhere.com', password: 'pw', apiKey: 'A'.repeat(32), userId: 40, fullName: 'Othello' };
    const usernames = ['cordelia@zulip.com', 'Cordelia@Zulip.com', other.email];
    const atVersion = (zulipVersion: string, featureLevel: number) =>
      start({ realm: createDemoRealm({ zulipVersion, featureLevel, emailsInOtherRealms: ['cordelia@zulip.com'], otherRealmUsers: [other] }) });

    it.each([
      ['7.0', 185],
      ['8.0', 237],
      ['9.0', 277],
      ['9.3', 278],
    ])('matches fixture error_email_of_another_realm_fl160_to_9_3 on %s (feature level %i)', async (version, featureLevel) => {
      const server = await atVersion(version, featureLevel);
      for (const username of usernames) {
        await expectFixture(await login(server, { username, password: 'anything' }), zulipResponse('fetch_api_key', 'error_email_of_another_realm_fl160_to_9_3'), server.url);
      }
    });

    it.each([
      ['5.0', 122, 'error_email_of_another_realm_fl76_to_159'],
      ['6.0', 156, 'error_email_of_another_realm_fl76_to_159'],
      ['9.4', 278, 'error_wrong_password'],
      ['10.0', 371, 'error_wrong_password'],
      ['11.0', 421, 'error_wrong_password'],
    ])('answers 401 AUTHENTICATION_FAILED on %s (feature level %i): fixture %s', async (version, featureLevel, fixture) => {
      const server = await atVersion(version, featureLevel);
      for (const username of usernames) {
        await expectFixture(await login(server, { username, password: 'anything' }), zulipResponse('fetch_api_key', fixture), server.url);
      }
    });

    it('answers 403 as for a wrong password before feature level 76 (4.x)', async () => {
      const server = await start({ realm: createDemoRealm({ zulipVersion: '4.11', featureLevel: 65, emailsInOtherRealms: ['cordelia@zulip.com'] }) });
      await expectFixture(await login(server, { username: 'cordelia@zulip.com', password: 'anything' }), zulipResponse('fetch_api_key', 'legacy_wrong_password_pre_fl76'), server.url);
    });
  });

  it('matches fixture error_username_not_email when LDAP is off, without counting toward the rate limit', async () => {
    const server = await start({ realm: createDemoRealm() });
    for (let i = 0; i < 7; i++) {
      await expectFixture(
        await login(server, { username: 'iago', password: 'abcd1234' }),
        zulipResponse('fetch_api_key', 'error_username_not_email'),
        server.url,
      );
    }
  });

  it('matches fixtures error_missing_username (checked first) and error_missing_password', async () => {
    const server = await start({ realm: createDemoRealm() });
    await expectFixture(await login(server, {}), zulipResponse('fetch_api_key', 'error_missing_username'), server.url);
    await expectFixture(
      await login(server, { password: 'x' }),
      zulipResponse('fetch_api_key', 'error_missing_username'),
      server.url,
    );
    await expectFixture(
      await login(server, { username: IAGO.email }),
      zulipResponse('fetch_api_key', 'error_missing_password'),
      server.url,
    );
  });

  it('checks parameters before the realm: missing username on a realm-less host is still 400', async () => {
    const server = await start({ realm: null });
    await expectFixture(await login(server, {}), zulipResponse('fetch_api_key', 'error_missing_username'), server.url);
  });

  it('does not parse a JSON body: REQUEST_VARIABLE_MISSING', async () => {
    const server = await start({ realm: createDemoRealm() });
    const res = await fetch(`${server.url}/api/v1/fetch_api_key`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: IAGO.email, password: IAGO.password }),
    });
    await expectFixture(res, zulipResponse('fetch_api_key', 'error_missing_username'), server.url);
  });

  it('accepts multipart form data and query-string parameters, like Django', async () => {
    const server = await start({ realm: createDemoRealm() });
    const form = new FormData();
    form.set('username', IAGO.email);
    form.set('password', IAGO.password);
    const multipart = await fetch(`${server.url}/api/v1/fetch_api_key`, { method: 'POST', body: form });
    expect((await json(multipart))['api_key']).toBe(IAGO.apiKey);
    const query = new URLSearchParams({ username: IAGO.email, password: IAGO.password });
    const viaQuery = await fetch(`${server.url}/api/v1/fetch_api_key?${query}`, { method: 'POST' });
    expect((await json(viaQuery))['api_key']).toBe(IAGO.apiKey);
  });

  it('uses the last value of a repeated form field', async () => {
    const server = await start({ realm: createDemoRealm() });
    const res = await fetch(`${server.url}/api/v1/fetch_api_key`, {
      method: 'POST',
      body: new URLSearchParams([
        ['username', IAGO.email],
        ['password', 'wrong'],
        ['password', IAGO.password],
      ]),
    });
    expect(res.status).toBe(200);
  });

  it('matches fixture error_method_not_allowed: JSON body, Allow: POST, text/html content type', async () => {
    const server = await start({ realm: null });
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const res = await fetch(`${server.url}/api/v1/fetch_api_key?username=a&password=b`, { method });
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      await expectFixture(res, zulipResponse('fetch_api_key', 'error_method_not_allowed'), server.url);
    }
  });

  it('looks users up by email case-insensitively and returns the stored delivery email', async () => {
    const server = await start({ realm: createDemoRealm() });
    const body = await json(await login(server, { username: 'IAGO@Zulip.COM', password: IAGO.password }));
    expect(body).toMatchObject({ result: 'success', email: IAGO.email, api_key: IAGO.apiKey });
  });

  it('logs in by LDAP username on an LDAP realm and returns the delivery email', async () => {
    const realm = createDemoRealm({ ldapEnabled: true, emailAuthEnabled: false });
    realm.users = realm.users.map((u) => (u.email === IAGO.email ? { ...u, ldapUsername: 'iago' } : u));
    const server = await start({ realm });
    const body = await json(await login(server, { username: 'iago', password: IAGO.password }));
    expect(body).toStrictEqual({ result: 'success', msg: '', api_key: IAGO.apiKey, email: IAGO.email, user_id: IAGO.userId });
    const unknown = await login(server, { username: 'othello', password: 'x' });
    expect(unknown.status).toBe(401);
    expect((await json(unknown))['code']).toBe('AUTHENTICATION_FAILED');
  });

  it('answers an empty password with AUTHENTICATION_FAILED before looking at the account', async () => {
    const server = await start({ realm: createDemoRealm() });
    for (const username of [HAMLET.email, IAGO.email]) {
      expect((await json(await login(server, { username, password: '' })))['code']).toBe('AUTHENTICATION_FAILED');
    }
  });

  it.each([
    ['legacy_wrong_password_pre_fl76', {}, IAGO.email, 'wrong'],
    ['legacy_user_deactivated_pre_fl76', {}, HAMLET.email, HAMLET.password],
    ['legacy_realm_deactivated_pre_fl76', { deactivated: true }, IAGO.email, IAGO.password],
    ['legacy_password_auth_disabled_pre_fl76', { emailAuthEnabled: false }, IAGO.email, IAGO.password],
  ] as const)('below FL 76 matches fixture %s (Zulip 2.1–4.x: 403, a reason, no code)', async (name, overrides, username, password) => {
    for (const [zulipVersion, featureLevel] of [['2.1.0', 0], ['4.0', 65], ['5.0-dev', 75]] as const) {
      const server = await start({ realm: createDemoRealm({ zulipVersion, featureLevel, ...overrides }) });
      await expectFixture(await login(server, { username, password }), zulipResponse('fetch_api_key', name), server.url);
    }
  });

  it('a password that must be reset: fixture legacy_password_reset_needed_fl62_to_75 from FL 62, no such branch before (the key is issued)', async () => {
    const realm = (featureLevel: number) => createDemoRealm({ featureLevel, users: [{ ...IAGO, passwordResetRequired: true }] });
    const fl62 = await start({ realm: realm(62) });
    await expectFixture(await login(fl62, { username: IAGO.email, password: IAGO.password }), zulipResponse('fetch_api_key', 'legacy_password_reset_needed_fl62_to_75'), fl62.url);
    const fl25 = await start({ realm: realm(25) });
    expect(await json(await login(fl25, { username: IAGO.email, password: IAGO.password }))).toMatchObject({ result: 'success', api_key: IAGO.apiKey });
    const fl76 = await start({ realm: realm(76) });
    await expectFixture(await login(fl76, { username: IAGO.email, password: IAGO.password }), zulipResponse('fetch_api_key', 'error_password_reset_required'), fl76.url);
  });

  it('uses 401 with codes from FL 76', async () => {
    const server = await start({ realm: createDemoRealm({ featureLevel: 76 }) });
    await expectFixture(await login(server, { username: IAGO.email, password: 'wrong' }), zulipResponse('fetch_api_key', 'error_wrong_password'), server.url);
  });
});

describe('fetch_api_key rate limit', () => {
  it('matches fixture error_rate_limited after 5 failures, even for the right password, with a float Retry-After', async () => {
    const server = await start({ realm: createDemoRealm() });
    await failLogins(server, IAGO.email, 5);
    const before = Date.now() / 1000;
    const res = await login(server, { username: IAGO.email, password: IAGO.password });
    const fx = zulipResponse('fetch_api_key', 'error_rate_limited');
    expect(res.status).toBe(fx.status);
    const text = await res.text();
    const body = JSON.parse(text) as Record<string, unknown>;
    const { 'retry-after': retryAfter, ...rest } = body;
    const { 'retry-after': _fixtureRetryAfter, ...fixtureRest } = fx.body;
    expect(rest).toStrictEqual(fixtureRest);
    expect(typeof retryAfter).toBe('number');
    expect(retryAfter as number).toBeGreaterThan(1790);
    expect(retryAfter as number).toBeLessThanOrEqual(1800);
    const header = res.headers.get('retry-after') ?? '';
    expect(header).toMatch(/^\d+\.\d+$/);
    expect(parseFloat(header)).toBe(retryAfter);
    expect(text).toContain(`"retry-after":${header}`);
    expect(res.headers.get('x-ratelimit-limit')).toBe('5');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    const reset = Number(res.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThanOrEqual(Math.floor(before + (retryAfter as number)) - 2);
    expect(reset).toBeLessThanOrEqual(Math.ceil(before + 1800) + 2);
  });

  it('has the same shape as the spec example error_rate_limited_spec_example', async () => {
    const server = await start({ realm: createDemoRealm() });
    await failLogins(server, IAGO.email, 5);
    const body = await json(await login(server, { username: IAGO.email, password: 'wrong' }));
    expect(Object.keys(body).sort()).toEqual(Object.keys(zulipResponse('fetch_api_key', 'error_rate_limited_spec_example').body).sort());
  });

  it('counts down X-RateLimit-Remaining on ordinary attempts', async () => {
    const server = await start({ realm: createDemoRealm() });
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await login(server, { username: IAGO.email, password: 'wrong' });
      remaining.push(res.headers.get('x-ratelimit-remaining'));
      expect(res.headers.get('x-ratelimit-limit')).toBe('5');
      await res.arrayBuffer();
    }
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);
  });

  it('keys the bucket on the username exactly as sent', async () => {
    const server = await start({ realm: createDemoRealm() });
    await failLogins(server, IAGO.email, 5);
    expect((await login(server, { username: IAGO.email, password: IAGO.password })).status).toBe(429);
    expect((await login(server, { username: 'IAGO@zulip.com', password: IAGO.password })).status).toBe(200);
    expect((await login(server, { username: DESDEMONA.email, password: DESDEMONA.password })).status).toBe(200);
  });

  it('clears the bucket on a successful login', async () => {
    const server = await start({ realm: createDemoRealm() });
    await failLogins(server, IAGO.email, 4);
    expect((await login(server, { username: IAGO.email, password: IAGO.password })).status).toBe(200);
    await failLogins(server, IAGO.email, 5);
    expect((await login(server, { username: IAGO.email, password: IAGO.password })).status).toBe(429);
  });

  it('counts attempts on deactivated accounts and unknown users too', async () => {
    const server = await start({ realm: createDemoRealm() });
    for (const username of [HAMLET.email, 'nobody@zulip.com']) {
      for (let i = 0; i < 5; i++) await (await login(server, { username, password: 'x' })).arrayBuffer();
      expect((await login(server, { username, password: 'x' })).status).toBe(429);
    }
  });

  it('lets attempts through again once the oldest counted attempt leaves the window', async () => {
    const server = await start({ realm: createDemoRealm({ rateLimit: { attempts: 2, windowSeconds: 1.5 } }) });
    await failLogins(server, IAGO.email, 2);
    const limited = await login(server, { username: IAGO.email, password: IAGO.password });
    expect(limited.status).toBe(429);
    const retryAfter = parseFloat(limited.headers.get('retry-after') ?? '');
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(1.5);
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 50));
    expect((await login(server, { username: IAGO.email, password: IAGO.password })).status).toBe(200);
  });

  it('has no limit and no X-RateLimit headers with rateLimit: false', async () => {
    const server = await start({ realm: createDemoRealm({ rateLimit: false }) });
    for (let i = 0; i < 8; i++) {
      const res = await login(server, { username: IAGO.email, password: 'wrong' });
      expect(res.status).toBe(401);
      expect(res.headers.get('x-ratelimit-limit')).toBeNull();
      await res.arrayBuffer();
    }
  });

  it('omits `code` on 429 below FL 36', async () => {
    const server = await start({ realm: createDemoRealm({ featureLevel: 35 }) });
    await failLogins(server, IAGO.email, 5, 403);
    const body = await json(await login(server, { username: IAGO.email, password: 'wrong' }));
    expect(body).not.toHaveProperty('code');
    expect(body).toMatchObject({ result: 'error', msg: 'API usage exceeded rate limit' });
  });

  it('clearRateLimits() empties every bucket', async () => {
    const server = await start({ realm: createDemoRealm() });
    await failLogins(server, IAGO.email, 5);
    server.clearRateLimits();
    expect((await login(server, { username: IAGO.email, password: IAGO.password })).status).toBe(200);
  });
});

// ---------------------------------------------------------------- users/me

describe('GET /api/v1/users/me', () => {
  it('below FL 134 its 401s have no code (json_unauthorized): fixtures legacy_invalid_api_key_pre_fl134, legacy_user_deactivated_pre_fl134, legacy_missing_auth_header_pre_fl134', async () => {
    for (const [zulipVersion, featureLevel] of [['2.1.0', 0], ['5.0', 122], ['6.0-dev', 133]] as const) {
      const server = await start({ realm: createDemoRealm({ zulipVersion, featureLevel }) });
      await expectFixture(await me(server, basic(IAGO.email, 'x'.repeat(32))), zulipResponse('users_me', 'legacy_invalid_api_key_pre_fl134'), server.url);
      await expectFixture(await me(server, basic(HAMLET.email, HAMLET.apiKey)), zulipResponse('users_me', 'legacy_user_deactivated_pre_fl134'), server.url);
      await expectFixture(await me(server), zulipResponse('users_me', 'legacy_missing_auth_header_pre_fl134'), server.url);
    }
    const current = await start({ realm: createDemoRealm({ featureLevel: 134 }) });
    await expectFixture(await me(current, basic(IAGO.email, 'x'.repeat(32))), zulipResponse('users_me', 'error_invalid_api_key'), current.url);
  });

  it('stripAuthorization, a proxy that removes the header, makes a good key get fixture error_missing_auth_header', async () => {
    const server = await start({ realm: createDemoRealm() });
    server.stripAuthorization = true;
    await expectFixture(await me(server, basic(IAGO.email, IAGO.apiKey)), zulipResponse('users_me', 'error_missing_auth_header'), server.url);
    expect(server.requests.at(-1)?.headers.authorization).toBeUndefined();
    server.stripAuthorization = false;
    expect((await me(server, basic(IAGO.email, IAGO.apiKey))).status).toBe(200);
  });

  it('matches fixture success_abridged for Iago, using the fixture request', async () => {
    const server = await start({ realm: createDemoRealm() });
    const req = zulipResponse('users_me', 'request_example') as unknown as { headers: Record<string, string> };
    const res = await fetch(`${server.url}/api/v1/users/me`, { headers: req.headers });
    await expectFixture(res, zulipResponse('users_me', 'success_abridged'), server.url);
  });

  it("reports the authenticated user's own values", async () => {
    const server = await start({ realm: createDemoRealm() });
    const body = await json(await me(server, basic(DESDEMONA.email, DESDEMONA.apiKey)));
    expect(body).toMatchObject({
      result: 'success',
      user_id: DESDEMONA.userId,
      email: DESDEMONA.email,
      delivery_email: DESDEMONA.email,
      full_name: DESDEMONA.fullName,
      role: 100,
      is_owner: true,
      is_admin: true,
      is_active: true,
    });
  });

  it('compares the email case-insensitively after trimming both parts', async () => {
    const server = await start({ realm: createDemoRealm() });
    const res = await me(server, basic(`  IAGO@Zulip.com `, ` ${IAGO.apiKey} `));
    expect(res.status).toBe(200);
  });

  it('matches fixture error_invalid_api_key for an unknown key and for the key of another user', async () => {
    const server = await start({ realm: createDemoRealm() });
    for (const [email, key] of [
      [IAGO.email, 'x'.repeat(32)],
      [IAGO.email, DESDEMONA.apiKey],
    ] as const) {
      await expectFixture(await me(server, basic(email, key)), zulipResponse('users_me', 'error_invalid_api_key'), server.url);
    }
  });

  it('matches fixture error_invalid_api_key_spec_example except for `code` (the code path sends UNAUTHORIZED)', async () => {
    const server = await start({ realm: createDemoRealm() });
    const fx = zulipResponse('users_me', 'error_invalid_api_key_spec_example');
    const res = await me(server, basic(IAGO.email, 'x'.repeat(32)));
    expect(res.status).toBe(fx.status);
    expect(res.headers.get('www-authenticate')).toBe(fx.headers?.['WWW-Authenticate']);
    expect(await json(res)).toStrictEqual({ ...fx.body, code: 'UNAUTHORIZED' });
  });

  it('matches fixture error_malformed_api_key for keys that are not 32 alphanumerics', async () => {
    const server = await start({ realm: createDemoRealm() });
    for (const key of ['short', `${IAGO.apiKey}x`, `${IAGO.apiKey.slice(0, 31)}-`]) {
      await expectFixture(await me(server, basic(IAGO.email, key)), zulipResponse('users_me', 'error_malformed_api_key'), server.url);
    }
  });

  it('matches fixture error_user_deactivated', async () => {
    const server = await start({ realm: createDemoRealm() });
    await expectFixture(
      await me(server, basic(HAMLET.email, HAMLET.apiKey)),
      zulipResponse('users_me', 'error_user_deactivated'),
      server.url,
    );
  });

  it('matches fixture error_realm_deactivated', async () => {
    const server = await start({ realm: createDemoRealm({ deactivated: true }) });
    await expectFixture(
      await me(server, basic(IAGO.email, IAGO.apiKey)),
      zulipResponse('users_me', 'error_realm_deactivated'),
      server.url,
    );
  });

  it('matches fixture error_wrong_subdomain for a valid key of another realm', async () => {
    const other = { email: 'othello@elsewhere.com', password: 'pw', apiKey: 'B'.repeat(32), userId: 40, fullName: 'Othello' };
    const server = await start({ realm: createDemoRealm({ otherRealmUsers: [other] }) });
    await expectFixture(
      await me(server, basic(other.email, other.apiKey)),
      zulipResponse('users_me', 'error_wrong_subdomain'),
      server.url,
    );
  });

  it("matches fixture error_key_owner_realm_deactivated for a key of another, deactivated organization: its realm is judged before the subdomain", async () => {
    const other = { email: 'othello@elsewhere.com', password: 'pw', apiKey: 'B'.repeat(32), userId: 40, fullName: 'Othello' };
    const server = await start({ realm: createDemoRealm({ otherRealmUsers: [other], otherRealmsDeactivated: true }) });
    await expectFixture(await me(server, basic(other.email, other.apiKey)), zulipResponse('users_me', 'error_key_owner_realm_deactivated'), server.url);
    // This host's own organization is still active.
    expect((await me(server, basic(IAGO.email, IAGO.apiKey))).status).toBe(200);
  });

  it('matches fixture error_rate_limited once a user made 200 calls in a minute (api_by_user), counting only accepted keys', async () => {
    const server = await start({ realm: createDemoRealm() });
    const fx = zulipResponse('users_me', 'error_rate_limited');
    const first = await me(server, basic(IAGO.email, IAGO.apiKey));
    expect([first.headers.get('x-ratelimit-limit'), first.headers.get('x-ratelimit-remaining')]).toEqual(['200', '199']);
    await first.arrayBuffer();
    for (let i = 1; i < 200; i++) expect((await me(server, basic(IAGO.email, IAGO.apiKey))).status).toBe(200);
    const limited = await me(server, basic(IAGO.email, IAGO.apiKey));
    expect(limited.status).toBe(fx.status);
    const body = await json(limited);
    expect(body).toStrictEqual({ ...fx.body, 'retry-after': expect.any(Number) });
    expect(body['retry-after']).toBeGreaterThan(0);
    expect(body['retry-after']).toBeLessThanOrEqual(60);
    expect(limited.headers.get('retry-after')).toBe(pythonFloat(body['retry-after'] as number));
    for (const name of ['X-RateLimit-Limit', 'X-RateLimit-Remaining']) expect(limited.headers.get(name)).toBe(fx.headers?.[name]);
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0);
    // The limit is the user's: a refused key is judged before it, another user is not limited.
    await expectFixture(await me(server, basic(IAGO.email, 'x'.repeat(32))), zulipResponse('users_me', 'error_invalid_api_key'), server.url);
    expect((await me(server, basic(DESDEMONA.email, DESDEMONA.apiKey))).status).toBe(200);
  });

  it('matches fixture error_missing_auth_header', async () => {
    const server = await start({ realm: createDemoRealm() });
    await expectFixture(await me(server), zulipResponse('users_me', 'error_missing_auth_header'), server.url);
  });

  it('redirects a browser page load without credentials to the login page', async () => {
    const server = await start({ realm: createDemoRealm() });
    const res = await me(server, undefined, { headers: { Accept: 'text/html,*/*' }, redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/login/?next=/api/v1/users/me');
  });

  it('matches fixture error_bad_basic_header for undecodable or wrongly shaped credentials', async () => {
    const server = await start({ realm: createDemoRealm() });
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const headers = [
      'Basic',
      'Bearer', // one token: the unpacking fails before the scheme is looked at
      `Basic ${b64(`${IAGO.email}:${IAGO.apiKey}`)} extra`,
      `Basic ${b64(IAGO.email)}`,
      `Basic ${b64(`${IAGO.email}:${IAGO.apiKey}:x`)}`,
      'Basic YQ', // incorrect padding
      'Basic /w==', // 0xff is not UTF-8
    ];
    for (const header of headers) {
      await expectFixture(await me(server, header), zulipResponse('users_me', 'error_bad_basic_header'), server.url);
    }
  });

  it('matches fixture error_not_basic_scheme (400), accepting any case of "Basic"', async () => {
    const server = await start({ realm: createDemoRealm() });
    await expectFixture(await me(server, 'Bearer abc'), zulipResponse('users_me', 'error_not_basic_scheme'), server.url);
    const lower = `basic ${Buffer.from(`${IAGO.email}:${IAGO.apiKey}`).toString('base64')}`;
    expect((await me(server, lower)).status).toBe(200);
  });

  it('answers unsupported methods with a JSON 405 before authenticating', async () => {
    const server = await start({ realm: createDemoRealm() });
    const res = await me(server, undefined, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(await json(res)).toStrictEqual({ result: 'error', msg: 'Method Not Allowed', allowed_methods: ['GET', 'HEAD'] });
  });
});

// ---------------------------------------------------------------- changes mid-test (realm-admin.ts)

describe('users/me after the realm changes mid-test', () => {
  // §4: every refusal is 401, code UNAUTHORIZED, WWW-Authenticate: Basic realm="zulip"; only msg differs.
  it('refuses a regenerated key as "Invalid API key" and accepts the new one, which fetch_api_key now returns', async () => {
    const server = await start({ realm: createDemoRealm() });
    const realm = server.realm!;
    const newKey = regenerateApiKey(realm, IAGO.email);
    expect(newKey).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(newKey).not.toBe(IAGO.apiKey);
    await expectFixture(await me(server, basic(IAGO.email, IAGO.apiKey)), zulipResponse('users_me', 'error_invalid_api_key'), server.url);
    expect(await json(await me(server, basic(IAGO.email, newKey)))).toMatchObject({ result: 'success', user_id: IAGO.userId });
    expect(await json(await login(server, { username: IAGO.email, password: IAGO.password }))).toMatchObject({ api_key: newKey });
    expect((await me(server, basic(DESDEMONA.email, DESDEMONA.apiKey))).status).toBe(200);
  });

  it('answers "Account is deactivated" once the user is deactivated, and accepts the same key after reactivation', async () => {
    const server = await start({ realm: createDemoRealm() });
    setUserActive(server.realm!, IAGO.email, false);
    await expectFixture(await me(server, basic(IAGO.email, IAGO.apiKey)), zulipResponse('users_me', 'error_user_deactivated'), server.url);
    setUserActive(server.realm!, IAGO.email, true);
    expect((await me(server, basic(IAGO.email, IAGO.apiKey))).status).toBe(200);
  });

  it('answers "This organization has been deactivated" once the realm is deactivated, before looking at the user', async () => {
    const server = await start({ realm: createDemoRealm() });
    setRealmDeactivated(server.realm!, true);
    await expectFixture(await me(server, basic(IAGO.email, IAGO.apiKey)), zulipResponse('users_me', 'error_realm_deactivated'), server.url);
    await expectFixture(await me(server, basic(HAMLET.email, HAMLET.apiKey)), zulipResponse('users_me', 'error_realm_deactivated'), server.url);
    setRealmDeactivated(server.realm!, false);
    expect((await me(server, basic(IAGO.email, IAGO.apiKey))).status).toBe(200);
  });

  it('still checks the key first: a revoked key of a deactivated user is "Invalid API key"', async () => {
    const server = await start({ realm: createDemoRealm() });
    regenerateApiKey(server.realm!, IAGO.email);
    setUserActive(server.realm!, IAGO.email, false);
    await expectFixture(await me(server, basic(IAGO.email, IAGO.apiKey)), zulipResponse('users_me', 'error_invalid_api_key'), server.url);
  });

  it('names an unknown user instead of changing nothing', () => {
    expect(() => regenerateApiKey(createDemoRealm(), 'nobody@zulip.com')).toThrow('no user nobody@zulip.com');
  });
});

// ---------------------------------------------------------------- server behaviour

describe('fake server', () => {
  it('listens on 127.0.0.1 on a port the OS picks', async () => {
    const server = await start({ realm: demoRealm });
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('serves a small HTML page at / on the realm origin, and 404 without a realm', async () => {
    const server = await start({ realm: demoRealm });
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toMatch(/^<!doctype html><title>Zulip Dev<\/title><h1>Zulip Dev<\/h1>/);
    server.realm = null;
    expect((await fetch(`${server.url}/`)).status).toBe(404);
  });

  it('serves a realm-relative icon itself', async () => {
    const server = await start({ realm: demoRealm });
    const res = await fetch(new URL(demoRealm.icon, server.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('answers unknown paths, /api/ ones included, with fixture html_pages.not_found (Django has no JSON 404 in Zulip)', async () => {
    const server = await start({ realm: demoRealm });
    for (const path of ['/api/v1/nope', '/api/v1/users/me/nope', '/json/nope', '/nope']) {
      for (const method of ['GET', 'POST']) {
        expect(await htmlPageSummary(await fetch(`${server.url}${path}`, { method }))).toEqual(expectedHtmlPage(zulipResponses.html_pages.not_found));
      }
    }
  });

  it('sends no CORS headers, even to a request with an Origin', async () => {
    const server = await start({ realm: createDemoRealm() });
    const origin = { Origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop' };
    const responses = [
      await settings(server, { headers: origin }),
      await fetch(`${server.url}/api/v1/fetch_api_key`, {
        method: 'POST',
        headers: origin,
        body: new URLSearchParams({ username: IAGO.email, password: IAGO.password }),
      }),
      await me(server, basic(IAGO.email, IAGO.apiKey), { headers: origin }),
      await fetch(`${server.url}/api/v1/users/me`, { method: 'OPTIONS', headers: origin }),
    ];
    for (const res of responses) {
      expect([...res.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
    }
  });

  it('records every request in order with method, path, query, headers and body', async () => {
    const server = await start({ realm: createDemoRealm() });
    await settings(server);
    await fetch(`${server.url}/api/v1/fetch_api_key?x=1&y=2`, {
      method: 'POST',
      headers: { 'User-Agent': 'KeyringForZulip/0.1.0' },
      body: new URLSearchParams({ username: IAGO.email, password: IAGO.password }),
    });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]).toMatchObject({ method: 'GET', path: '/api/v1/server_settings', query: '', body: '' });
    expect(server.requests[1]).toMatchObject({
      method: 'POST',
      path: '/api/v1/fetch_api_key',
      query: 'x=1&y=2',
      body: 'username=iago%40zulip.com&password=abcd1234',
    });
    expect(server.requests[1]?.headers['user-agent']).toBe('KeyringForZulip/0.1.0');
    expect(server.requests[1]?.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
  });

  it('reads `realm` at request time, so tests can change it between requests', async () => {
    const server = await start({ realm: createDemoRealm() });
    expect((await settings(server)).status).toBe(200);
    server.realm = null;
    expect((await settings(server)).status).toBe(400);
    server.realm = createDemoRealm({ name: 'Renamed' });
    expect((await json(await settings(server)))['realm_name']).toBe('Renamed');
  });

  it('override() replaces a route (and records the request), null restores it', async () => {
    const server = await start({ realm: createDemoRealm() });
    const seen: string[] = [];
    server.override('/api/v1/fetch_api_key', (req, res, body) => {
      seen.push(`${req.method} ${body}`);
      res.writeHead(418, { 'Content-Type': 'text/plain' });
      res.end('teapot');
    });
    const res = await login(server, { username: IAGO.email, password: IAGO.password });
    expect(res.status).toBe(418);
    expect(await res.text()).toBe('teapot');
    expect(seen).toEqual(['POST username=iago%40zulip.com&password=abcd1234']);
    expect(server.requests).toHaveLength(1);
    server.override('/api/v1/fetch_api_key', null);
    expect((await login(server, { username: IAGO.email, password: IAGO.password })).status).toBe(200);
  });

  it('override() can add a route the fake does not serve', async () => {
    const server = await start({ realm: demoRealm });
    server.override('/accounts/login/social/github', redirectTo('zulip://login?x=1'));
    const res = await fetch(`${server.url}/accounts/login/social/github`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('zulip://login?x=1');
  });

  it('answers 500 instead of hanging when an override throws', async () => {
    const server = await start({ realm: demoRealm });
    server.override('/api/v1/server_settings', () => {
      throw new Error('boom');
    });
    const res = await settings(server);
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('boom');
  });

  it('close() returns promptly with a hanging request and a kept-alive connection open', async () => {
    const server = await startFakeZulip({ realm: createDemoRealm() });
    await (await settings(server)).text(); // leaves a keep-alive socket in fetch's pool
    server.override('/api/v1/users/me', hang());
    const pending = me(server, basic(IAGO.email, IAGO.apiKey)).then(
      () => 'answered',
      () => 'failed',
    );
    while (server.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = performance.now();
    await server.close();
    expect(performance.now() - started).toBeLessThan(500);
    expect(await pending).toBe('failed');
    await server.close(); // idempotent
  });
});

describe('faults', () => {
  it('htmlPage(status) serves an HTML error page with that status', async () => {
    const server = await start({ realm: demoRealm });
    server.override('/api/v1/server_settings', htmlPage(502));
    const res = await settings(server);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toMatch(/^<!doctype html>/);
  });

  it('redirectTo(location, status) redirects with the given status', async () => {
    const server = await start({ realm: demoRealm });
    server.override('/api/v1/server_settings', redirectTo('https://elsewhere.example/', 301));
    const res = await settings(server, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('https://elsewhere.example/');
  });

  it('malformedJson() sends application/json that does not parse', async () => {
    const server = await start({ realm: demoRealm });
    server.override('/api/v1/fetch_api_key', malformedJson());
    const res = await login(server, { username: IAGO.email, password: IAGO.password });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    await expect(res.json()).rejects.toThrow(SyntaxError);
  });

  it('oversizedJson(bytes) streams valid JSON of exactly that size, declared or chunked', async () => {
    const server = await start({ realm: demoRealm });
    const size = 3 * 1024 * 1024 + 7;
    server.override('/api/v1/server_settings', oversizedJson(size));
    const declared = await settings(server);
    expect(declared.headers.get('content-length')).toBe(String(size));
    const text = await declared.text();
    expect(text.length).toBe(size);
    expect(JSON.parse(text)).toMatchObject({ result: 'success' });

    server.override('/api/v1/server_settings', oversizedJson(size, { declareLength: false }));
    const chunked = await settings(server);
    expect(chunked.headers.get('content-length')).toBeNull();
    expect(chunked.headers.get('transfer-encoding')).toBe('chunked');
    expect((await chunked.text()).length).toBe(size);
  });

  it('oversizedJson stops streaming when the client gives up, and the server keeps serving', async () => {
    const server = await start({ realm: demoRealm });
    server.override('/api/v1/server_settings', oversizedJson(200 * 1024 * 1024));
    const controller = new AbortController();
    const res = await settings(server, { signal: controller.signal });
    const reader = res.body?.getReader();
    await reader?.read();
    controller.abort();
    await reader?.cancel().catch(() => {});
    server.override('/api/v1/server_settings', null);
    expect((await settings(server)).status).toBe(200);
  });

  it('stalledBody() sends headers and part of a body, then nothing', async () => {
    const server = await start({ realm: demoRealm });
    server.override('/api/v1/server_settings', stalledBody());
    const res = await settings(server);
    expect(res.status).toBe(200);
    const reader = res.body?.getReader();
    expect(new TextDecoder().decode((await reader?.read())?.value)).toBe('{"result":"success","msg":"",');
    const next = reader?.read().then(() => 'more');
    expect(await Promise.race([next, new Promise((resolve) => setTimeout(() => resolve('nothing'), 200))])).toBe('nothing');
    await server.close();
    await next?.catch(() => undefined);
  });

  it("zulipInternalError() is Zulip's own 500: fixture error_internal_server_error", async () => {
    const server = await start({ realm: demoRealm });
    server.override('/api/v1/users/me', zulipInternalError());
    await expectFixture(await me(server, basic(IAGO.email, IAGO.apiKey)), zulipResponse('users_me', 'error_internal_server_error'), server.url);
  });

  it("methodNotAllowed() is Zulip's 405: JSON under text/html, with Allow", async () => {
    const server = await start({ realm: demoRealm });
    server.override('/api/v1/fetch_api_key', methodNotAllowed());
    const res = await login(server, { username: IAGO.email, password: IAGO.password });
    expect(res.status).toBe(405);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('allow')).toBe('POST');
    expect(await res.json()).toEqual({ result: 'error', msg: 'Method Not Allowed', allowed_methods: ['POST'] });
  });
});

// ---------------------------------------------------------------- helpers and demo data

describe('Django compatibility helpers', () => {
  it("isValidEmail follows Django's EmailValidator on common cases", () => {
    for (const ok of ['iago@zulip.com', 'a.b+c@sub.example.co', 'user@localhost', 'x@[127.0.0.1]', 'e@bücher.de', '"a@b"@example.com']) {
      expect(isValidEmail(ok), ok).toBe(true);
    }
    for (const bad of ['', 'iago', 'iago@', '@zulip.com', 'a..b@example.com', 'a@example', 'a@-example.com', 'a@example.c', 'a b@example.com', '"a b"@example.com', 'é@example.com']) {
      expect(isValidEmail(bad), bad).toBe(false);
    }
  });

  it('pythonB64decode skips junk characters, stops at padding, and rejects partial quanta', () => {
    expect(pythonB64decode('aGk=')?.toString()).toBe('hi');
    expect(pythonB64decode('aG!k=')?.toString()).toBe('hi');
    expect(pythonB64decode('aGk=trailing')?.toString()).toBe('hi');
    expect(pythonB64decode('aGk')).toBeNull();
    expect(pythonB64decode('aGlfa')).toBeNull();
    expect(pythonB64decode('aGk=é')).toBeNull();
  });

  it('userAgentName extracts the product name; pythonFloat prints integral floats with .0', () => {
    expect(userAgentName('ZulipFlutter/0.0.15+15 (Android 14)')).toBe('ZulipFlutter');
    expect(userAgentName('ZulipInvalid')).toBe('ZulipInvalid');
    expect(pythonFloat(1800)).toBe('1800.0');
    expect(pythonFloat(28.706807374954224)).toBe('28.706807374954224');
  });
});

describe('demo realm', () => {
  it('has Iago (the documentation example), Desdemona and a deactivated Hamlet, with distinct well-formed keys', () => {
    const realm = createDemoRealm();
    expect(realm.name).toBe('Zulip Dev');
    expect(realm.users.map((u) => [u.email, u.password, u.userId, u.isActive ?? true])).toEqual([
      ['iago@zulip.com', 'abcd1234', 5, true],
      ['desdemona@zulip.com', 'opensesame', 6, true],
      ['hamlet@zulip.com', 'hamlet-pw', 10, false],
    ]);
    expect(IAGO.apiKey).toBe('gjA04ZYcqXKalvYMA8OeXSfzUOLrtbZv');
    expect(IAGO.fullName).toBe('Iago');
    for (const user of realm.users) expect(user.apiKey).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(new Set(realm.users.map((u) => u.apiKey)).size).toBe(3);
  });

  it('hands out independent copies, and the shared demoRealm is frozen', () => {
    const a = createDemoRealm();
    a.users.pop();
    expect(createDemoRealm().users).toHaveLength(3);
    expect(Object.isFrozen(demoRealm.users[0])).toBe(true);
  });
});
