// Single sign-on from sso.start to the stored account, through the router, against the fake Zulip
// server over real HTTP; the final redirect is handed to the flow as sso-capture.ts would.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDemoRealm, DESDEMONA, IAGO } from '../../../test/fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../../../test/fake-zulip/fake-zulip-server';
import { EXTENSION_ID, EXTENSION_ORIGIN, fake, type FakeSender } from '../../../test/unit/fake-browser';
import { createTestDeps, grantHost, POPUP_SENDER as popup } from '../../../test/unit/background-deps';
import { encryptApiKey } from '../../shared/zulip/mobile-flow';
import { SSO_DEADLINE_ALARM } from './flow-tabs';
import type { BackgroundDeps } from '../deps';
import { createMessageRouter } from '../messaging/message-router';
import { SSO_FLOW_TIMEOUT_MS } from './sso-flow';

const T0 = 1_700_000_000_000;
const GOOGLE = {
  name: 'google',
  display_name: 'Google',
  display_icon: '/static/images/authentication_backends/googl_e-icon.png',
  login_url: '/accounts/login/social/google',
  signup_url: '/accounts/register/social/google',
};
let clock: number;
let server: FakeZulipServer;
let deps: BackgroundDeps;
let route: ReturnType<typeof createMessageRouter>;
const send = (message: unknown) => route(message, popup);
const start = () => send({ type: 'sso.start', realmUrl: server.url, method: 'google' });
const status = () => send({ type: 'sso.status' });
const list = async () => {
  const reply = await send({ type: 'accounts.list' });
  return 'accounts' in reply ? reply.accounts : [];
};

/** The pad the flow sent, read from the URL its tab was sent to, as the server would read it. */
function sentPad(tabId: number): string {
  const url = new URL(fake.tabs.get(tabId)!.url);
  expect(url.origin + url.pathname).toBe(`${server.url}/accounts/login/social/google`);
  return url.searchParams.get('mobile_flow_otp')!;
}
function finalRedirect(otp: string, user: { email: string; apiKey: string; userId: number }, overrides: Record<string, string | null> = {}): string {
  const params: Record<string, string | null> = {
    otp_encrypted_api_key: encryptApiKey(user.apiKey, otp),
    email: user.email,
    user_id: String(user.userId),
    realm: server.url,
    ...overrides,
  };
  const kept = Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== null);
  return `zulip://login?${new URLSearchParams(kept).toString()}`;
}
async function startedTab(): Promise<number> {
  expect(await start()).toMatchObject({ ok: true });
  const [tabId] = [...fake.tabs.keys()];
  return tabId!;
}

beforeEach(async () => {
  clock = T0;
  server = await startFakeZulip({ realm: createDemoRealm({ externalAuthenticationMethods: [GOOGLE] }) });
  deps = createTestDeps({ now: () => clock });
  route = createMessageRouter(deps, { id: EXTENSION_ID, baseUrl: `${EXTENSION_ORIGIN}/` });
  grantHost(server.url);
});
afterEach(() => server.close());

describe('sso.start', () => {
  it("opens one tab at the method's login URL with a fresh 64-hex pad, and tells the popup nothing secret", async () => {
    const reply = await start();
    expect(reply).toEqual({
      ok: true,
      flow: { realmUrl: server.url, realmName: 'Zulip Dev', methodDisplayName: 'Google', startedAt: T0, deadline: T0 + SSO_FLOW_TIMEOUT_MS },
    });
    expect(fake.tabs.size).toBe(1);
    const [tabId] = [...fake.tabs.keys()];
    const otp = sentPad(tabId!);
    expect(otp).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(reply)).not.toContain(otp);
    expect(JSON.stringify(await status())).not.toContain(otp);
    expect(fake.alarms.get(SSO_DEADLINE_ALARM)).toBe(T0 + SSO_FLOW_TIMEOUT_MS);
  });

  it('refuses a method the realm does not list, and opens nothing', async () => {
    expect(await send({ type: 'sso.start', realmUrl: server.url, method: 'github' })).toEqual({
      ok: false,
      error: { code: 'SSO_METHOD_UNKNOWN', message: 'Zulip Dev no longer offers this way of signing in. Go back and choose again.' },
    });
    expect(fake.tabs.size).toBe(0);
  });

  it('refuses a login_url on another origin: the pad would go to a stranger', async () => {
    server.realm!.externalAuthenticationMethods = [{ ...GOOGLE, login_url: 'https://evil.example/steal' }];
    expect(await start()).toMatchObject({ ok: false, error: { code: 'SSO_METHOD_UNKNOWN' } });
    expect(fake.tabs.size).toBe(0);
  });

  it('needs the host permission for the realm', async () => {
    fake.granted.clear();
    expect(await start()).toMatchObject({ ok: false, error: { code: 'PERMISSION_MISSING' } });
    expect(fake.tabs.size).toBe(0);
  });

  it('a second flow replaces the first: its tab is closed and its pad forgotten', async () => {
    const first = await startedTab();
    const firstPad = sentPad(first);
    expect(await start()).toMatchObject({ ok: true });
    expect(fake.tabs.has(first)).toBe(false);
    expect(fake.tabs.size).toBe(1);
    await deps.ssoFlows.redirectSeen(first, finalRedirect(firstPad, IAGO));
    expect(await list()).toEqual([]);
  });
});

describe('the final redirect', () => {
  it('locked while the person was at the identity provider: LOCKED, nothing stored, told once unlocked', async () => {
    const tabId = await startedTab();
    await deps.lock.enable('correct horse battery', 15);
    await deps.lock.lockNow();
    await deps.ssoFlows.redirectSeen(tabId, finalRedirect(sentPad(tabId), IAGO));
    // A locked popup shows only the unlock form: the outcome waits for it.
    expect(await status()).toEqual({ ok: true, flow: null, outcome: null });
    await deps.lock.unlock('correct horse battery');
    expect(await status()).toMatchObject({ ok: true, flow: null, outcome: { ok: false, error: { code: 'LOCKED' } } });
    expect(await list()).toEqual([]);
  });

  it('stores the account as a password sign-in would, closes the tab and reports it once', async () => {
    const tabId = await startedTab();
    await deps.ssoFlows.redirectSeen(tabId, finalRedirect(sentPad(tabId), IAGO));
    expect(fake.tabs.has(tabId)).toBe(false);
    expect(await list()).toMatchObject([{ realmUrl: server.url, email: IAGO.email, userId: IAGO.userId, realmName: 'Zulip Dev', credentialStatus: 'valid' }]);
    const page: FakeSender = { id: EXTENSION_ID, url: `${server.url}/`, tab: { id: 9 }, frameId: 0 };
    expect(await route({ type: 'credentials.get' }, page)).toEqual({
      ok: true,
      credentials: { realm: server.url, email: IAGO.email, apiKey: IAGO.apiKey, userId: IAGO.userId },
    });
    expect(await fake.browser.scripting.getRegisteredContentScripts()).toHaveLength(1);
    const first = await status();
    expect(first).toMatchObject({ ok: true, flow: null, outcome: { ok: true, account: { email: IAGO.email }, replaced: null } });
    expect(JSON.stringify(first)).not.toContain(IAGO.apiKey);
    expect(await status()).toEqual({ ok: true, flow: null, outcome: null });
    expect(Object.keys(await fake.browser.storage.session.get(null))).toEqual([]);
  });

  it('seen twice (onHeadersReceived and onBeforeRedirect, together) stores one account and one outcome', async () => {
    const tabId = await startedTab();
    const location = finalRedirect(sentPad(tabId), IAGO);
    await Promise.all([deps.ssoFlows.redirectSeen(tabId, location), deps.ssoFlows.redirectSeen(tabId, location)]);
    expect(await list()).toHaveLength(1);
    expect(await status()).toMatchObject({ outcome: { ok: true } });
    expect(await status()).toMatchObject({ outcome: null });
  });

  it('in another tab is not ours to read', async () => {
    const tabId = await startedTab();
    await deps.ssoFlows.redirectSeen(tabId + 1, finalRedirect(sentPad(tabId), IAGO));
    expect(await list()).toEqual([]);
    expect(fake.tabs.has(tabId)).toBe(true);
    expect(await status()).toMatchObject({ flow: { realmUrl: server.url }, outcome: null });
  });

  it('is completed by a background started afresh: the flow lives in storage.session', async () => {
    const tabId = await startedTab();
    const restarted = createTestDeps({ now: () => clock });
    await restarted.ssoFlows.redirectSeen(tabId, finalRedirect(sentPad(tabId), DESDEMONA));
    expect(await list()).toMatchObject([{ email: DESDEMONA.email, userId: DESDEMONA.userId }]);
  });

  it.each([
    ['names another realm', { realm: 'http://evil.invalid' }, 'The answer that came back named another organization than Zulip Dev, so it was refused and nothing was saved.'],
    ['carries a short key', { otp_encrypted_api_key: 'ab'.repeat(31) }, 'The API key sent back by Zulip Dev could not be read, so nothing was saved. Please try again.'],
    ['lacks the email', { email: null }, 'The answer from Zulip Dev was incomplete (it must name the account and the organization), so nothing was saved. Please try again.'],
    ['has a user id that is not one', { user_id: '5x' }, 'The answer from Zulip Dev was incomplete (it must name the account and the organization), so nothing was saved. Please try again.'],
  ])('that %s is refused: nothing stored, the tab closed, the reason reported', async (_name, overrides, message) => {
    const tabId = await startedTab();
    await deps.ssoFlows.redirectSeen(tabId, finalRedirect(sentPad(tabId), IAGO, overrides));
    expect(await list()).toEqual([]);
    expect(fake.tabs.has(tabId)).toBe(false);
    expect(await status()).toEqual({ ok: true, flow: null, outcome: { ok: false, realmUrl: server.url, error: { code: 'SSO_BAD_REDIRECT', message } } });
    expect(Object.keys(await fake.browser.storage.session.get(null))).toEqual([]);
  });

  describe('from servers before feature level 108, whose redirect has no user_id', () => {
    const usersMe = () => server.requests.filter((request) => request.path === '/api/v1/users/me');

    it('Zulip 3.x–4.x (final_redirect_fl_below_108): users/me, asked with the decoded key, names the account, which is stored', async () => {
      server.realm!.featureLevel = 65;
      server.realm!.zulipVersion = '4.11';
      const tabId = await startedTab();
      await deps.ssoFlows.redirectSeen(tabId, finalRedirect(sentPad(tabId), IAGO, { user_id: null }));
      expect(await status()).toMatchObject({ ok: true, flow: null, outcome: { ok: true, account: { email: IAGO.email, userId: IAGO.userId, featureLevel: 65 } } });
      expect(await list()).toMatchObject([{ realmUrl: server.url, email: IAGO.email, userId: IAGO.userId, credentialStatus: 'valid' }]);
      expect(usersMe().map((request) => request.headers.authorization)).toEqual([`Basic ${btoa(`${IAGO.email}:${IAGO.apiKey}`)}`]);
    });

    it('Zulip 2.1 (final_redirect_zulip_2_1, the email as the identity provider spelled it): the account gets the email as the server spells it', async () => {
      server.realm!.featureLevel = 0;
      server.realm!.zulipVersion = '2.1.8';
      const tabId = await startedTab();
      await deps.ssoFlows.redirectSeen(tabId, finalRedirect(sentPad(tabId), IAGO, { user_id: null, email: 'Iago@Zulip.COM' }));
      expect(await list()).toMatchObject([{ email: IAGO.email, userId: IAGO.userId, zulipVersion: '2.1.8' }]);
      expect(await send({ type: 'credentials.get', realm: server.url })).toMatchObject({ ok: true, credentials: { email: IAGO.email, apiKey: IAGO.apiKey } });
    });

    it('a key that users/me refuses for that email is not stored', async () => {
      server.realm!.featureLevel = 65;
      const tabId = await startedTab();
      await deps.ssoFlows.redirectSeen(tabId, finalRedirect(sentPad(tabId), { ...IAGO, email: DESDEMONA.email }, { user_id: null }));
      expect(await status()).toMatchObject({ ok: true, flow: null, outcome: { ok: false, realmUrl: server.url } });
      expect(await list()).toEqual([]);
    });

    it('a key that never reaches users/me (a proxy strips the Authorization header) says so, and nothing is stored', async () => {
      server.realm!.featureLevel = 65;
      const tabId = await startedTab();
      server.stripAuthorization = true;
      await deps.ssoFlows.redirectSeen(tabId, finalRedirect(sentPad(tabId), IAGO, { user_id: null }));
      expect(await status()).toMatchObject({ outcome: { ok: false, error: { code: 'KEY_NOT_RECEIVED' } } });
      expect(await list()).toEqual([]);
    });
  });
});

describe('a flow that ends without an account', () => {
  it('when the person closes the tab: nothing stored, the popup told why', async () => {
    const tabId = await startedTab();
    await fake.browser.tabs.remove(tabId);
    await deps.ssoFlows.tabClosed(tabId);
    expect(await list()).toEqual([]);
    expect(await status()).toMatchObject({ flow: null, outcome: { ok: false, error: { code: 'SSO_TAB_CLOSED', message: expect.stringContaining('invitation') } } });
  });

  it('after 10 minutes: the tab is closed and a late redirect is refused', async () => {
    const tabId = await startedTab();
    const otp = sentPad(tabId);
    clock = T0 + SSO_FLOW_TIMEOUT_MS - 1;
    await deps.ssoFlows.checkDeadline();
    expect(fake.tabs.has(tabId)).toBe(true);
    clock = T0 + SSO_FLOW_TIMEOUT_MS;
    await deps.ssoFlows.checkDeadline();
    expect(fake.tabs.has(tabId)).toBe(false);
    await deps.ssoFlows.redirectSeen(tabId, finalRedirect(otp, IAGO));
    expect(await list()).toEqual([]);
    expect(await status()).toMatchObject({ outcome: { ok: false, error: { code: 'SSO_TIMED_OUT' } } });
  });

  it('past its deadline even when the alarm never came: the popup asking ends it', async () => {
    const tabId = await startedTab();
    clock = T0 + SSO_FLOW_TIMEOUT_MS + 1;
    expect(await status()).toMatchObject({ flow: null, outcome: { ok: false, error: { code: 'SSO_TIMED_OUT' } } });
    expect(fake.tabs.has(tabId)).toBe(false);
  });

  it('when cancelled from the popup: the tab is closed, nothing is reported or kept', async () => {
    const tabId = await startedTab();
    expect(await send({ type: 'sso.cancel' })).toEqual({ ok: true, cancelled: true });
    expect(fake.tabs.has(tabId)).toBe(false);
    expect(await status()).toEqual({ ok: true, flow: null, outcome: null });
    expect(Object.keys(await fake.browser.storage.session.get(null))).toEqual([]);
    expect(await send({ type: 'sso.cancel' })).toEqual({ ok: true, cancelled: false });
  });
});

describe('who may drive it', () => {
  it('content scripts may not start, read or cancel a flow', async () => {
    const page: FakeSender = { id: EXTENSION_ID, url: `${server.url}/`, tab: { id: 9 }, frameId: 0 };
    for (const message of [{ type: 'sso.start', realmUrl: server.url, method: 'google' }, { type: 'sso.status' }, { type: 'sso.cancel' }]) {
      expect(await route(message, page)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(fake.tabs.size).toBe(0);
  });
});

describe('a multi-organization server, whose root answers the final redirect', () => {
  let root: FakeZulipServer;
  let multi: FakeZulipServer;
  beforeEach(async () => {
    root = await startFakeZulip({ realm: null, host: 'localhost', realmlessHost: 'root' });
    multi = await startFakeZulip({
      realm: createDemoRealm({ externalAuthenticationMethods: [GOOGLE], sso: { identityProvider: 'http://localhost:1', socialAuthServer: root } }),
      subdomain: 'multi',
    });
    grantHost(multi.url);
  });
  afterEach(async () => {
    await multi.close();
    await root.close();
  });

  it("realm.lookup names the root's origin for each method, learned from the login URL's first redirect", async () => {
    const reply = await send({ type: 'realm.lookup', serverUrl: multi.url });
    expect(reply).toMatchObject({ ok: true, realm: { externalMethods: [{ name: 'google', completionOrigin: root.url }] } });
    expect(multi.requests.map((request) => request.path)).toContain('/accounts/login/social/google');
    expect(multi.requests.find((request) => request.path === '/accounts/login/social/google')?.query).toBe('');
  });

  it('a single-organization realm answers itself: no other origin', async () => {
    server.realm!.sso = { identityProvider: 'http://localhost:1' };
    expect(await send({ type: 'realm.lookup', serverUrl: server.url })).toMatchObject({ ok: true, realm: { externalMethods: [{ completionOrigin: null }] } });
  });

  it("sso.start refuses without the root's host, which the final redirect would need, and opens nothing", async () => {
    const reply = await send({ type: 'sso.start', realmUrl: multi.url, method: 'google' });
    expect(reply).toEqual({ ok: false, error: { code: 'PERMISSION_MISSING', message: `The extension may not connect to ${root.url} yet. Press Continue and allow it.` } });
    expect(fake.tabs.size).toBe(0);
    grantHost(root.url);
    expect(await send({ type: 'sso.start', realmUrl: multi.url, method: 'google' })).toMatchObject({ ok: true });
  });
});
