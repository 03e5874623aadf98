// The fake's remote-user single sign-on (remote-user-sso.ts) against Zulip's own answers
// (test/fixtures/zulip-responses.json: remote_user_sso, mobile_flow, html_pages).
import { afterEach, describe, expect, it } from 'vitest';
import { expectedHtmlPage, FIXTURE_REALM_URL, htmlPageSummary, zulipResponses } from '../fixtures/zulip-responses';
import { finalParams, last, pathsOf, runFlow, zulipRedirects } from './browser-walk';
import { createDemoRealm, HAMLET, IAGO, REMOTE_USER_AUTH_METHOD, STRANGER_EMAIL } from './demo-realm';
import { startFakeZulip, type FakeRealmConfig, type FakeZulipServer, type StartOptions } from './fake-zulip-server';
import { startFakeIdentityProvider, type FakeIdentityProvider } from './identity-provider';

const fixtures = zulipResponses.remote_user_sso;
const mobileFlow = zulipResponses.mobile_flow;
const OTP = mobileFlow.otp;

const closers: { close(): Promise<void> }[] = [];
async function startServer(options: StartOptions): Promise<FakeZulipServer> {
  const server = await startFakeZulip(options);
  closers.push(server);
  return server;
}
async function startIdp(identities = [IAGO.email, HAMLET.email, STRANGER_EMAIL, 'not-an-email']): Promise<FakeIdentityProvider> {
  const idp = await startFakeIdentityProvider({ identities });
  closers.push(idp);
  return idp;
}
afterEach(async () => {
  await Promise.all(closers.splice(0).map((closer) => closer.close()));
});

function remoteUserRealm(idp: FakeIdentityProvider, overrides: Partial<FakeRealmConfig> = {}): FakeRealmConfig {
  return createDemoRealm({ externalAuthenticationMethods: [{ ...REMOTE_USER_AUTH_METHOD }], sso: { identityProvider: idp.url }, ...overrides });
}
const start = (realm: FakeZulipServer, query: string) => `${realm.url}${REMOTE_USER_AUTH_METHOD.login_url}?${query}`;

describe('remote-user SSO as server_settings lists it', () => {
  it('matches fixture remote_user_sso.method, with authentication_methods.remoteuser', async () => {
    const realm = await startServer({ realm: remoteUserRealm(await startIdp()) });
    const settings = (await (await fetch(`${realm.url}/api/v1/server_settings`)).json()) as Record<string, unknown>;
    expect(settings['external_authentication_methods']).toEqual([fixtures.method]);
    expect(settings['authentication_methods']).toMatchObject({ remoteuser: true });
  });
});

describe('remote-user SSO mobile flow', () => {
  it('matches fixture remote_user_sso.start_redirect: the query goes on to /accounts/login/sso/ as received', async () => {
    const realm = await startServer({ realm: remoteUserRealm(await startIdp()) });
    const response = await fetch(start(realm, `mobile_flow_otp=${OTP}`), { redirect: 'manual' });
    expect([response.status, response.headers.get('location')]).toEqual([fixtures.start_redirect.status, fixtures.start_redirect.headers.Location]);
    const withNext = await fetch(start(realm, `next=%2F%23narrow&mobile_flow_otp=${OTP}`), { redirect: 'manual' });
    expect(withNext.headers.get('location')).toBe(`/accounts/login/sso/?next=%2F%23narrow&mobile_flow_otp=${OTP}`);
  });

  it("goes realm → the web server's identity provider → realm, and the realm's own origin sends the exact zulip:// redirect of the reference", async () => {
    const idp = await startIdp();
    const realm = await startServer({ realm: remoteUserRealm(idp), realmUrl: FIXTURE_REALM_URL });
    const hops = await runFlow(start(realm, `mobile_flow_otp=${OTP}`));
    expect(hops.map((hop) => [hop.method, new URL(hop.url).origin, hop.status])).toEqual([
      ['GET', realm.url, 302],
      ['GET', realm.url, 302],
      ['GET', idp.url, 200],
      ['POST', idp.url, 302],
      ['GET', realm.url, 302],
    ]);
    expect(hops[1]?.location).toMatch(
      new RegExp(`^${idp.url}/authorize\\?client_id=fake-zulip-remoteuser&redirect_uri=${encodeURIComponent(`${realm.url}/accounts/login/sso/`)}&state=[A-Za-z0-9]{32}&response_type=code$`),
    );
    expect([last(hops).status, last(hops).location, last(hops).body]).toEqual([
      mobileFlow.final_redirect.status,
      mobileFlow.final_redirect.headers.Location,
      mobileFlow.final_redirect.body,
    ]);
    expect(pathsOf(realm)).toEqual(['GET /accounts/login/start/sso/', 'GET /accounts/login/sso/', 'GET /accounts/login/sso/']);
  });

  it('answers with the user id and the realm URL of the server it runs on', async () => {
    const realm = await startServer({ realm: remoteUserRealm(await startIdp()) });
    expect(finalParams(await runFlow(start(realm, `mobile_flow_otp=${OTP}`)))).toEqual([
      ['otp_encrypted_api_key', mobileFlow.otp_encrypted_api_key],
      ['email', IAGO.email],
      ['user_id', String(IAGO.userId)],
      ['realm', realm.url],
    ]);
  });

  it.each([
    ['an identity without an account', STRANGER_EMAIL, {}],
    ['a deactivated account', HAMLET.email, {}],
    ['a deactivated organization', IAGO.email, { deactivated: true }],
  ])("ends on Zulip's page for %s, never redirected to zulip://", async (_name, identity, overrides) => {
    const realm = await startServer({ realm: remoteUserRealm(await startIdp(), overrides) });
    const hops = await runFlow(start(realm, `mobile_flow_otp=${OTP}`), identity);
    expect(zulipRedirects(hops)).toEqual([]);
    expect([last(hops).status, last(hops).contentType]).toEqual([200, 'text/html; charset=utf-8']);
    expect(last(hops).body).toContain(`No account found for ${identity}`);
  });

  it.each([
    ['error_invalid_otp', `mobile_flow_otp=${OTP.slice(1)}`],
    ['error_both_otps', `mobile_flow_otp=${OTP}&desktop_flow_otp=${OTP}`],
  ] as const)('matches fixture mobile_flow.%s once the web server has let the person through', async (name, query) => {
    const realm = await startServer({ realm: remoteUserRealm(await startIdp()) });
    const hop = last(await runFlow(start(realm, query)));
    const fixture = mobileFlow[name];
    expect({ status: hop.status, body: JSON.parse(hop.body) as unknown }).toEqual({ status: fixture.status, body: fixture.body });
  });

  it('refuses a REMOTE_USER that is not an email with 400, as validate_login_email does', async () => {
    const realm = await startServer({ realm: remoteUserRealm(await startIdp()) });
    const hop = last(await runFlow(start(realm, `mobile_flow_otp=${OTP}`), 'not-an-email'));
    expect({ status: hop.status, body: JSON.parse(hop.body) as unknown }).toEqual({
      status: 400,
      body: { result: 'error', msg: 'Enter a valid email address.', code: 'BAD_REQUEST' },
    });
  });

  it('logs the browser into the realm without an OTP (the web flow)', async () => {
    const realm = await startServer({ realm: remoteUserRealm(await startIdp()) });
    const hops = await runFlow(start(realm, ''));
    expect(last(hops).url).toBe(`${realm.url}/`);
    expect(zulipRedirects(hops)).toEqual([]);
  });

  it('answers with the config error page (500) when the realm does not offer remote-user SSO', async () => {
    const realm = await startServer({ realm: createDemoRealm() });
    const hops = await runFlow(start(realm, `mobile_flow_otp=${OTP}`));
    expect(hops.map((hop) => hop.status)).toEqual([302, 500]);
    expect(last(hops).body).toContain('<h1>Configuration error</h1>');
  });

  it('on Zulip 2.1 starts at /accounts/login/sso/ itself: /accounts/login/start/sso/ is not routed', async () => {
    const idp = await startIdp();
    const realm = await startServer({ realm: remoteUserRealm(idp, { zulipVersion: '2.1.8', featureLevel: 0, externalAuthenticationMethods: [{ ...fixtures.method_2_1 }] }) });
    expect(await htmlPageSummary(await fetch(start(realm, `mobile_flow_otp=${OTP}`), { redirect: 'manual' }))).toEqual(
      expectedHtmlPage(zulipResponses.html_pages.not_found),
    );
    const hops = await runFlow(`${realm.url}/accounts/login/sso/?mobile_flow_otp=${OTP}`);
    expect(zulipRedirects(hops)).toHaveLength(1);
  });
});
