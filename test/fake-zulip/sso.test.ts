import { afterEach, describe, expect, it } from 'vitest';
import { createDemoRealm, GITHUB_AUTH_METHOD, GOOGLE_AUTH_METHOD, HAMLET, IAGO, STRANGER_EMAIL } from './demo-realm';
import { startFakeZulip, type FakeRealmConfig, type FakeSsoConfig, type FakeZulipServer, type StartOptions } from './fake-zulip-server';
import { startFakeIdentityProvider, type FakeIdentityProvider } from './identity-provider';
import { setRealmDeactivated } from './realm-admin';
import { otpEncryptApiKey } from './social-auth';
import { FIXTURE_REALM_URL, zulipResponses } from '../fixtures/zulip-responses';
import { finalParams, last, pathsOf, runFlow, zulipRedirects } from './browser-walk';

// ---------------------------------------------------------------- fixtures

const mobileFlow = zulipResponses.mobile_flow;
const OTP = mobileFlow.otp;
const SAML_METHOD = {
  name: 'saml:idp_name',
  display_name: 'SAML',
  display_icon: null,
  login_url: '/accounts/login/social/saml/idp_name',
  signup_url: '/accounts/register/social/saml/idp_name',
};

// ---------------------------------------------------------------- helpers

const closers: { close(): Promise<void> }[] = [];

async function startServer(options: StartOptions): Promise<FakeZulipServer> {
  const server = await startFakeZulip(options);
  closers.push(server);
  return server;
}

async function startIdp(identities = [IAGO.email, HAMLET.email, STRANGER_EMAIL]): Promise<FakeIdentityProvider> {
  const idp = await startFakeIdentityProvider({ identities });
  closers.push(idp);
  return idp;
}

afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c.close()));
});

function ssoRealm(idp: FakeIdentityProvider, overrides: Partial<FakeRealmConfig> = {}): FakeRealmConfig {
  return createDemoRealm({
    externalAuthenticationMethods: [{ ...GOOGLE_AUTH_METHOD }, { ...GITHUB_AUTH_METHOD }],
    sso: { identityProvider: idp.url },
    ...overrides,
  });
}

function startUrl(realm: FakeZulipServer, query: string, loginUrl: string = GOOGLE_AUTH_METHOD.login_url): string {
  return `${realm.url}${loginUrl}?${query}`;
}

// ---------------------------------------------------------------- tests

describe('otpEncryptApiKey', () => {
  it("reproduces the reference's worked example, and answers in lowercase for an uppercase OTP", () => {
    expect(otpEncryptApiKey(mobileFlow.api_key, OTP)).toBe(mobileFlow.otp_encrypted_api_key);
    expect(mobileFlow.api_key).toBe(IAGO.apiKey);
    expect(otpEncryptApiKey(IAGO.apiKey, OTP.toUpperCase())).toBe(mobileFlow.otp_encrypted_api_key);
  });
});

describe('SSO mobile flow on a single-organization server (completes on the realm origin)', () => {
  it('goes realm → identity provider → realm and ends in the exact zulip:// redirect of the reference', async () => {
    const idp = await startIdp();
    const realm = await startServer({ realm: ssoRealm(idp), realmUrl: FIXTURE_REALM_URL });
    const hops = await runFlow(startUrl(realm, `mobile_flow_otp=${OTP}`));

    expect(hops.map((h) => [h.method, h.status])).toEqual([
      ['GET', 302],
      ['GET', 302],
      ['GET', 200],
      ['POST', 302],
      ['GET', 302],
    ]);
    const [start, begin, authorize, chosen, complete] = hops;
    expect(start?.location).toBe(`${realm.url}/login/google/?subdomain=&is_signup=0&multiuse_object_key=&mobile_flow_otp=${OTP}`);
    const completeUrl = `${realm.url}/complete/google/`;
    const idpQuery = new RegExp(
      `^${idp.url}/authorize\\?client_id=fake-zulip-google&redirect_uri=${encodeURIComponent(completeUrl)}&state=([A-Za-z0-9]{32})&response_type=code$`,
    );
    const state = idpQuery.exec(begin?.location ?? '')?.[1];
    expect(state).toBeDefined();
    expect(authorize?.contentType).toBe('text/html; charset=utf-8');
    expect(authorize?.body).toContain('<title>Fake identity provider</title>');
    expect(chosen?.location).toMatch(new RegExp(`^${completeUrl}\\?state=${state}&code=[A-Za-z0-9_-]{32}$`));

    expect(complete?.url.startsWith(completeUrl)).toBe(true);
    expect(complete?.status).toBe(mobileFlow.final_redirect.status);
    expect(complete?.location).toBe(mobileFlow.final_redirect.headers.Location);
    expect(complete?.body).toBe(mobileFlow.final_redirect.body);

    expect(pathsOf(realm)).toEqual(['GET /accounts/login/social/google', 'GET /login/google/', 'GET /complete/google/']);
    expect(pathsOf(idp)).toEqual(['GET /authorize', 'POST /authorize']);
  });

  it('serves every configured method, and reports the realm URL, user id and delivery email of the account', async () => {
    const idp = await startIdp();
    const realm = await startServer({ realm: ssoRealm(idp) });
    const hops = await runFlow(startUrl(realm, `mobile_flow_otp=${OTP}`, GITHUB_AUTH_METHOD.login_url));
    expect(hops[0]?.location).toBe(`${realm.url}/login/github/?subdomain=&is_signup=0&multiuse_object_key=&mobile_flow_otp=${OTP}`);
    expect(finalParams(hops)).toEqual([
      ['otp_encrypted_api_key', mobileFlow.otp_encrypted_api_key],
      ['email', IAGO.email],
      ['user_id', String(IAGO.userId)],
      ['realm', realm.url],
    ]);
  });

  it('finds the account whatever the case of the email the identity provider vouches for', async () => {
    const idp = await startIdp(['Iago@Zulip.COM']);
    const realm = await startServer({ realm: ssoRealm(idp) });
    const hops = await runFlow(startUrl(realm, `mobile_flow_otp=${OTP}`), 'Iago@Zulip.COM');
    expect(finalParams(hops).find(([name]) => name === 'email')).toEqual(['email', IAGO.email]);
  });

  it('passes a SAML identity provider name on as idp=, last', async () => {
    const idp = await startIdp();
    const realm = await startServer({ realm: ssoRealm(idp, { externalAuthenticationMethods: [{ ...SAML_METHOD }] }) });
    const hops = await runFlow(startUrl(realm, `mobile_flow_otp=${OTP}`, SAML_METHOD.login_url));
    expect(hops[0]?.location).toBe(
      `${realm.url}/login/saml/?subdomain=&is_signup=0&multiuse_object_key=&mobile_flow_otp=${OTP}&idp=idp_name`,
    );
    expect(finalParams(hops)[0]).toEqual(['otp_encrypted_api_key', mobileFlow.otp_encrypted_api_key]);
  });

  it('does not serve the login URLs of a realm without sso, nor URLs of methods it lacks', async () => {
    const idp = await startIdp();
    const withoutSso = await startServer({ realm: createDemoRealm({ externalAuthenticationMethods: [{ ...GOOGLE_AUTH_METHOD }] }) });
    expect((await fetch(startUrl(withoutSso, `mobile_flow_otp=${OTP}`), { redirect: 'manual' })).status).toBe(404);
    const googleOnly = await startServer({ realm: ssoRealm(idp, { externalAuthenticationMethods: [{ ...GOOGLE_AUTH_METHOD }] }) });
    const github = await fetch(startUrl(googleOnly, `mobile_flow_otp=${OTP}`, GITHUB_AUTH_METHOD.login_url), { redirect: 'manual' });
    expect(github.status).toBe(404);
  });
});

describe('SSO mobile flow on a multi-organization server (completes on the root domain)', () => {
  it('sends the final redirect from the social-auth origin, another host than the realm', async () => {
    const idp = await startIdp();
    const root = await startServer({ realm: null, host: 'localhost', realmlessHost: 'root' });
    const realm = await startServer({
      realm: ssoRealm(idp, { sso: { identityProvider: idp.url, socialAuthServer: root } }),
      realmUrl: FIXTURE_REALM_URL,
    });
    expect(new URL(root.url).hostname).toBe('localhost');
    expect(new URL(realm.url).hostname).toBe('127.0.0.1');

    const hops = await runFlow(startUrl(realm, `mobile_flow_otp=${OTP}`));
    expect(hops[0]?.location).toBe(`${root.url}/login/google/?subdomain=&is_signup=0&multiuse_object_key=&mobile_flow_otp=${OTP}`);
    expect(hops[1]?.location).toContain(`&redirect_uri=${encodeURIComponent(`${root.url}/complete/google/`)}&`);
    const complete = last(hops);
    expect(new URL(complete.url).origin).toBe(root.url);
    expect(complete.status).toBe(302);
    expect(complete.location).toBe(mobileFlow.final_redirect.headers.Location);

    expect(pathsOf(realm)).toEqual(['GET /accounts/login/social/google']);
    expect(pathsOf(root)).toEqual(['GET /login/google/', 'GET /complete/google/']);
    expect(pathsOf(idp)).toEqual(['GET /authorize', 'POST /authorize']);
  });

  it('completes each realm sharing the root by its subdomain', async () => {
    const idp = await startIdp();
    const root = await startServer({ realm: null, host: 'localhost', realmlessHost: 'root' });
    const sso = { identityProvider: idp.url, socialAuthServer: root };
    const chat = await startServer({ realm: ssoRealm(idp, { sso }), subdomain: 'chat' });
    const other = await startServer({ realm: ssoRealm(idp, { name: 'Other', sso }), subdomain: 'other' });

    const chatHops = await runFlow(startUrl(chat, `mobile_flow_otp=${OTP}`));
    const otherHops = await runFlow(startUrl(other, `mobile_flow_otp=${OTP}`));
    expect(chatHops[0]?.location).toContain('/login/google/?subdomain=chat&');
    expect(otherHops[0]?.location).toContain('/login/google/?subdomain=other&');
    expect(finalParams(chatHops).at(-1)).toEqual(['realm', chat.url]);
    expect(finalParams(otherHops).at(-1)).toEqual(['realm', other.url]);
  });

  it('refuses, with a message saying why, two live realms with one subdomain on one root', async () => {
    const idp = await startIdp();
    const root = await startServer({ realm: null, host: 'localhost', realmlessHost: 'root' });
    const sso = { identityProvider: idp.url, socialAuthServer: root };
    const first = await startServer({ realm: ssoRealm(idp, { sso }) });
    const second = await startServer({ realm: ssoRealm(idp, { sso }) });
    expect((await fetch(startUrl(first, `mobile_flow_otp=${OTP}`), { redirect: 'manual' })).status).toBe(302);
    const clash = await fetch(startUrl(second, `mobile_flow_otp=${OTP}`), { redirect: 'manual' });
    expect(clash.status).toBe(500);
    expect(await clash.text()).toContain('Two realms use subdomain ""');
  });

  it('forgets a realm when its server closes, so the next one may take its subdomain', async () => {
    const idp = await startIdp();
    const root = await startServer({ realm: null, host: 'localhost', realmlessHost: 'root' });
    const sso = { identityProvider: idp.url, socialAuthServer: root };
    const first = await startFakeZulip({ realm: ssoRealm(idp, { sso }) });
    const begun = await fetch(startUrl(first, `mobile_flow_otp=${OTP}`), { redirect: 'manual' });
    await first.close();

    // The flow the closed realm started can no longer find its organization.
    const orphan = await runFlow(begun.headers.get('location') ?? '');
    expect(orphan.at(0)?.location).toBe('/accounts/find/');

    const second = await startServer({ realm: ssoRealm(idp, { sso }) });
    expect(finalParams(await runFlow(startUrl(second, `mobile_flow_otp=${OTP}`))).at(-1)).toEqual(['realm', second.url]);
  });
});

describe('OTP validation at the start', () => {
  it.each([
    ['63 hex digits', OTP.slice(1)],
    ['65 hex digits', `${OTP}0`],
    ['a non-hex digit', `g${OTP.slice(1)}`],
    ['an empty value', ''],
  ])('answers 400 "Invalid OTP" to %s, before any redirect', async (_, otp) => {
    const idp = await startIdp();
    const realm = await startServer({ realm: ssoRealm(idp) });
    const res = await fetch(startUrl(realm, `mobile_flow_otp=${otp}`), { redirect: 'manual' });
    expect(res.status).toBe(mobileFlow.error_invalid_otp.status);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('location')).toBeNull();
    expect(await res.json()).toStrictEqual(mobileFlow.error_invalid_otp.body);
  });

  it('answers 400 to both OTPs together, and "Invalid OTP" first when one of them is malformed', async () => {
    const idp = await startIdp();
    const realm = await startServer({ realm: ssoRealm(idp) });
    const both = await fetch(startUrl(realm, `mobile_flow_otp=${OTP}&desktop_flow_otp=${OTP}`), { redirect: 'manual' });
    expect(both.status).toBe(mobileFlow.error_both_otps.status);
    expect(await both.json()).toStrictEqual(mobileFlow.error_both_otps.body);
    const badDesktop = await fetch(startUrl(realm, `mobile_flow_otp=${OTP}&desktop_flow_otp=xyz`), { redirect: 'manual' });
    expect(await badDesktop.json()).toStrictEqual(mobileFlow.error_invalid_otp.body);
  });

  it('says plainly that the desktop flow is not implemented', async () => {
    const idp = await startIdp();
    const realm = await startServer({ realm: ssoRealm(idp) });
    const res = await fetch(startUrl(realm, `desktop_flow_otp=${OTP}`), { redirect: 'manual' });
    expect(res.status).toBe(501);
    expect(await res.text()).toContain('does not implement desktop_flow_otp');
  });
});

describe('flows that end without a key', () => {
  it('an identity without an account ends on the realm’s "account not found" page, never at zulip://', async () => {
    const idp = await startIdp();
    const root = await startServer({ realm: null, host: 'localhost', realmlessHost: 'root' });
    const realm = await startServer({ realm: ssoRealm(idp, { sso: { identityProvider: idp.url, socialAuthServer: root } }) });
    const hops = await runFlow(startUrl(realm, `mobile_flow_otp=${OTP}`), STRANGER_EMAIL);
    expect(zulipRedirects(hops)).toEqual([]);
    expect(hops.at(-2)?.location).toMatch(new RegExp(`^${realm.url}/accounts/login/subdomain/[A-Za-z0-9]{32}$`));
    const end = last(hops);
    expect(new URL(end.url).origin).toBe(realm.url);
    expect(end.status).toBe(200);
    expect(end.contentType).toBe('text/html; charset=utf-8');
    expect(end.location).toBeNull();
    expect(end.body).toContain(`No account found for ${STRANGER_EMAIL} in Zulip Dev.`);
  });

  it('the same page works once: reloading it says the link is invalid', async () => {
    const idp = await startIdp();
    const realm = await startServer({ realm: ssoRealm(idp) });
    const hops = await runFlow(startUrl(realm, `mobile_flow_otp=${OTP}`), STRANGER_EMAIL);
    const again = await fetch(last(hops).url);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('This login link is invalid or has expired.');
    expect((await fetch(`${realm.url}/accounts/login/subdomain/short`)).status).toBe(400);
  });

  it('a deactivated user ends on the login page saying so', async () => {
    const idp = await startIdp();
    const realm = await startServer({ realm: ssoRealm(idp) });
    const hops = await runFlow(startUrl(realm, `mobile_flow_otp=${OTP}`), HAMLET.email);
    expect(zulipRedirects(hops)).toEqual([]);
    expect(hops.at(-2)?.location).toBe(`${realm.url}/login/?is_deactivated=hamlet%40zulip.com`);
    const end = last(hops);
    expect(end.status).toBe(200);
    expect(end.body).toContain(
      `Your account ${HAMLET.email} has been deactivated. Please contact your organization administrator to reactivate it.`,
    );
  });

  it('an active user of a deactivated realm ends on the deactivation notice', async () => {
    const idp = await startIdp();
    const realm = await startServer({ realm: ssoRealm(idp) });
    setRealmDeactivated(realm.realm as FakeRealmConfig, true);
    const hops = await runFlow(startUrl(realm, `mobile_flow_otp=${OTP}`));
    expect(zulipRedirects(hops)).toEqual([]);
    expect(hops.slice(-3).map((h) => new URL(h.url).pathname)).toEqual(['/complete/google/', '/login/', '/accounts/deactivated/']);
    expect(last(hops).status).toBe(200);
    expect(last(hops).body).toContain('The organization you are trying to join, Zulip Dev, has been deactivated.');
  });

  it('a method switched off while the person is at the identity provider ends on the login page', async () => {
    const idp = await startIdp();
    const realm = await startServer({ realm: ssoRealm(idp) });
    const begun = await fetch(startUrl(realm, `mobile_flow_otp=${OTP}`), { redirect: 'manual' });
    const atIdp = await fetch(begun.headers.get('location') ?? '', { redirect: 'manual' });
    (realm.realm as FakeRealmConfig).externalAuthenticationMethods = [{ ...GITHUB_AUTH_METHOD }];
    const hops = await runFlow(atIdp.headers.get('location') ?? '');
    expect(zulipRedirects(hops)).toEqual([]);
    expect(hops.at(-2)?.location).toBe(`${realm.url}/login/`);
    expect(last(hops).body).toContain('<h1>Log in to Zulip Dev</h1>');
  });

  it('without an OTP (the web flow) an account ends in the realm, not at zulip://', async () => {
    const idp = await startIdp();
    const realm = await startServer({ realm: ssoRealm(idp) });
    const hops = await runFlow(startUrl(realm, ''));
    expect(hops[0]?.location).toBe(`${realm.url}/login/google/?subdomain=&is_signup=0&multiuse_object_key=`);
    expect(zulipRedirects(hops)).toEqual([]);
    expect(hops.at(-2)?.location).toBe(realm.url);
    expect(last(hops).status).toBe(200);
  });
});

describe('final redirect variants', () => {
  async function finalLocationParams(overrides: Partial<FakeRealmConfig>, tamper?: FakeSsoConfig['tamper']) {
    const idp = await startIdp();
    const realm = await startServer({ realm: ssoRealm(idp, { ...overrides, sso: { identityProvider: idp.url, ...(tamper ? { tamper } : {}) } }) });
    return { realm, params: finalParams(await runFlow(startUrl(realm, `mobile_flow_otp=${OTP}`))) };
  }

  it('tamper "wrong-realm" names another origin as the realm', async () => {
    const { params } = await finalLocationParams({}, 'wrong-realm');
    expect(params.at(-1)).toEqual(['realm', 'http://evil.invalid']);
    expect(params.map(([name]) => name)).toEqual(['otp_encrypted_api_key', 'email', 'user_id', 'realm']);
  });

  it('tamper "short-key" sends 62 hex digits of the encrypted key', async () => {
    const { params } = await finalLocationParams({}, 'short-key');
    expect(params[0]).toEqual(['otp_encrypted_api_key', mobileFlow.otp_encrypted_api_key.slice(0, 62)]);
  });

  /** A fixture's Location for the realm of `server`. */
  const expectedLocation = (location: string, server: FakeZulipServer) =>
    location.replace(encodeURIComponent(FIXTURE_REALM_URL), encodeURIComponent(server.url));

  it('Zulip 3.x–4.x (FL 1–107) matches fixture final_redirect_fl_below_108: no user_id, the delivery email', async () => {
    const idp = await startIdp(['IAGO@zulip.com']);
    const realm = await startServer({ realm: ssoRealm(idp, { featureLevel: 65, zulipVersion: '4.0' }) });
    const hops = await runFlow(startUrl(realm, `mobile_flow_otp=${OTP}`), 'IAGO@zulip.com');
    expect(last(hops).location).toBe(expectedLocation(mobileFlow.final_redirect_fl_below_108.headers.Location, realm));
  });

  it('Zulip 2.1 (no feature level) matches fixture final_redirect_zulip_2_1: no user_id, the email as the identity provider spelled it', async () => {
    const idp = await startIdp(['Iago@Zulip.com']);
    const realm = await startServer({ realm: ssoRealm(idp, { featureLevel: 0, zulipVersion: '2.1.0' }) });
    const hops = await runFlow(startUrl(realm, `mobile_flow_otp=${OTP}`), 'Iago@Zulip.com');
    expect(last(hops).location).toBe(expectedLocation(mobileFlow.final_redirect_zulip_2_1.headers.Location, realm));
  });

  it('a server before feature level 108 sends no user_id; from 108 on it does', async () => {
    const old = await finalLocationParams({ featureLevel: 107, zulipVersion: '5.0-dev' });
    expect(old.params.map(([name]) => name)).toEqual(['otp_encrypted_api_key', 'email', 'realm']);
    const current = await finalLocationParams({ featureLevel: 108, zulipVersion: '5.0-dev' });
    expect(current.params.map(([name]) => name)).toEqual(['otp_encrypted_api_key', 'email', 'user_id', 'realm']);
  });
});

describe('states and codes', () => {
  it('answers 400 HTML to an unknown state and to a completion replayed', async () => {
    const idp = await startIdp();
    const realm = await startServer({ realm: ssoRealm(idp) });
    const unknown = await fetch(`${realm.url}/complete/google/?state=nope&code=nope`, { redirect: 'manual' });
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await unknown.text()).toContain('Authentication failed');

    const hops = await runFlow(startUrl(realm, `mobile_flow_otp=${OTP}`));
    expect(last(hops).location?.startsWith('zulip://login?')).toBe(true);
    const replay = await fetch(last(hops).url, { redirect: 'manual' });
    expect(replay.status).toBe(400);
    expect(replay.headers.get('location')).toBeNull();
  });

  it('accepts only codes from the realm’s own identity provider', async () => {
    const idp = await startIdp();
    const impostor = await startIdp();
    const realm = await startServer({ realm: ssoRealm(idp) });
    const begun = await fetch(startUrl(realm, `mobile_flow_otp=${OTP}`), { redirect: 'manual' });
    const toIdp = new URL((await fetch(begun.headers.get('location') ?? '', { redirect: 'manual' })).headers.get('location') ?? '');
    const state = toIdp.searchParams.get('state') ?? '';
    const redirectUri = toIdp.searchParams.get('redirect_uri') ?? '';
    const forged = await fetch(`${impostor.url}/authorize`, {
      method: 'POST',
      body: new URLSearchParams({ redirect_uri: redirectUri, state, email: IAGO.email }),
      redirect: 'manual',
    });
    const completion = await fetch(forged.headers.get('location') ?? '', { redirect: 'manual' });
    expect(completion.status).toBe(400);
    expect(completion.headers.get('location')).toBeNull();
  });
});

describe('fake identity provider', () => {
  it('listens on localhost and offers one button per identity, named "Continue as <email>"', async () => {
    const idp = await startIdp([IAGO.email, STRANGER_EMAIL]);
    expect(idp.url).toMatch(/^http:\/\/localhost:\d+$/);
    const res = await fetch(`${idp.url}/authorize?redirect_uri=${encodeURIComponent('http://127.0.0.1:9/complete/google/')}&state=s`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect([...page.matchAll(/<button[^>]*>([^<]*)<\/button>/g)].map((m) => m[1])).toEqual([
      `Continue as ${IAGO.email}`,
      `Continue as ${STRANGER_EMAIL}`,
    ]);
    expect(page).not.toContain('<script');
  });

  it('refuses a request without redirect_uri or state, and an identity it does not offer', async () => {
    const idp = await startIdp([IAGO.email]);
    expect((await fetch(`${idp.url}/authorize?state=s`)).status).toBe(400);
    expect((await fetch(`${idp.url}/authorize?redirect_uri=${encodeURIComponent('http://127.0.0.1:9/')}`)).status).toBe(400);
    const unknown = await fetch(`${idp.url}/authorize`, {
      method: 'POST',
      body: new URLSearchParams({ redirect_uri: 'http://127.0.0.1:9/', state: 's', email: HAMLET.email }),
      redirect: 'manual',
    });
    expect(unknown.status).toBe(400);
    expect(pathsOf(idp)).toEqual(['GET /authorize', 'GET /authorize', 'POST /authorize']);
  });
});

describe('method icons', () => {
  it('serves each configured display_icon as a small PNG, with or without sso', async () => {
    const realm = await startServer({
      realm: createDemoRealm({ externalAuthenticationMethods: [{ ...GOOGLE_AUTH_METHOD }, { ...GITHUB_AUTH_METHOD }, { ...SAML_METHOD }] }),
    });
    const images: Buffer[] = [];
    for (const icon of [GOOGLE_AUTH_METHOD.display_icon, GITHUB_AUTH_METHOD.display_icon]) {
      const res = await fetch(new URL(icon, realm.url));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      const png = Buffer.from(await res.arrayBuffer());
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([16, 16]);
      images.push(png);
    }
    expect(images[0]?.equals(images[1] ?? Buffer.alloc(0))).toBe(false);
    expect((await fetch(`${realm.url}/static/images/authentication_backends/gitlab-icon.png`)).status).toBe(404);
  });
});
