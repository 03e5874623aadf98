// Single sign-on as the person meets it in the popup: the real popup (happy-dom) through the real
// background to the fake Zulip server; the final redirect is handed to the background's flow as
// its webRequest listeners would (the browsers' part is in test/e2e/sso.e2e.test.ts).
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { BackgroundDeps } from '../../src/background/deps';
import { encryptApiKey } from '../../src/shared/zulip/mobile-flow';
import { originPermissionPattern } from '../../src/shared/realm-url';
import { createDemoRealm, IAGO } from '../fake-zulip/demo-realm';
import { startFakeZulip, type ExternalAuthMethod, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { fake } from './fake-browser';
import { popupOpener, startBackground, type PopupDom } from './popup-dom';

const method = (name: string, displayName: string, icon: string | null): ExternalAuthMethod => ({
  name,
  display_name: displayName,
  display_icon: icon,
  login_url: `/accounts/login/social/${name}`,
  signup_url: `/accounts/register/social/${name}`,
});
const GOOGLE = method('google', 'Google', '/static/images/authentication_backends/googl_e-icon.png');
const GITHUB = method('github', 'GitHub', '/static/images/authentication_backends/github-icon.png');
const SAML = method('saml:idp_name', 'SAML', null);

let server: FakeZulipServer;
let background: BackgroundDeps;

const { reopen, close: closePopup } = popupOpener();

async function toOrganization(): Promise<PopupDom> {
  const opened = await reopen();
  await opened.click('Add account');
  await opened.fill('Server URL', server.url);
  await opened.click('Continue');
  await opened.waitFor(() => opened.button('Log in with GitHub'), 'the SSO buttons');
  return opened;
}

function flowTab(): { id: number; otp: string } {
  const [[id, tab]] = [...fake.tabs.entries()] as [[number, { url: string }]];
  return { id, otp: new URL(tab.url).searchParams.get('mobile_flow_otp')! };
}

function iagoRedirect(otp: string): string {
  const params = new URLSearchParams({ otp_encrypted_api_key: encryptApiKey(IAGO.apiKey, otp), email: IAGO.email, user_id: String(IAGO.userId), realm: server.url });
  return `zulip://login?${params.toString()}`;
}

beforeEach(async () => {
  server = await startFakeZulip({ realm: createDemoRealm({ externalAuthenticationMethods: [GITHUB, GOOGLE, SAML] }) });
  background = startBackground();
  fake.granted.add(originPermissionPattern(server.url));
});
afterEach(async () => {
  await closePopup();
  await server.close();
});

it("offers one button per method in the server's order, with its icon, and the password form after them", async () => {
  const opened = await toOrganization();
  const buttons = [...document_of(opened).querySelectorAll('button.sso-button')];
  expect(buttons.map((button) => button.textContent)).toEqual(['Log in with GitHub', 'Log in with Google', 'Log in with SAML']);
  expect(buttons.map((button) => button.querySelector('img')?.getAttribute('src') ?? null)).toEqual([
    `${server.url}${GITHUB.display_icon}`,
    `${server.url}${GOOGLE.display_icon}`,
    null,
  ]);
  // Decorative: the button's text names it.
  expect(buttons.map((button) => button.querySelector('img')?.getAttribute('alt') ?? null)).toEqual(['', '', null]);
  expect(opened.text()).toContain('Or log in with your password');
  expect(opened.field('Email')).not.toBeNull();
  expect(opened.field('Password')).not.toBeNull();
});

it('an organization without password sign-in shows only the buttons and Back, and the first button has the focus', async () => {
  server.realm!.emailAuthEnabled = false;
  const opened = await toOrganization();
  expect(opened.field('Email')).toBeNull();
  expect(opened.field('Password')).toBeNull();
  expect(opened.text()).not.toContain('Or log in with your password');
  expect(opened.button('Back')).not.toBeNull();
  expect(opened.focused()).toBe(opened.button('Log in with GitHub'));
});

it('signs in: a tab opens at the method, the popup waits, and the account appears when the redirect comes', async () => {
  const opened = await toOrganization();
  await opened.click('Log in with Google');
  await opened.waitFor(() => opened.text().includes('Finish signing in to Zulip Dev'), 'the waiting view');
  expect(opened.text()).toContain('A tab has opened for Google.');
  const tab = flowTab();
  await background.ssoFlows.redirectSeen(tab.id, iagoRedirect(tab.otp));
  await opened.waitFor(() => opened.text().includes('Signed in to Zulip Dev as iago@zulip.com.'), 'the signed-in status');
  await opened.waitFor(() => opened.button('Remove'), 'the account in the list');
  expect(await background.accounts.list()).toMatchObject([{ email: IAGO.email, realmUrl: server.url }]);
  expect(fake.tabs.size).toBe(0);
});

it('a popup opened again while the tab is open shows the wait, and then how it ended', async () => {
  const opened = await toOrganization();
  await opened.click('Log in with Google');
  await opened.waitFor(() => opened.text().includes('Finish signing in'), 'the waiting view');
  const again = await reopen();
  await again.waitFor(() => again.text().includes('Finish signing in to Zulip Dev'), 'the waiting view again');
  await closePopup();
  const tab = flowTab();
  await background.ssoFlows.redirectSeen(tab.id, iagoRedirect(tab.otp));
  const after = await reopen();
  await after.waitFor(() => after.text().includes('Signed in to Zulip Dev as iago@zulip.com.'), 'the outcome');
});

it('closing the tab brings the organization back with the reason, and nothing saved', async () => {
  const opened = await toOrganization();
  await opened.click('Log in with Google');
  await opened.waitFor(() => opened.text().includes('Finish signing in'), 'the waiting view');
  await background.ssoFlows.tabClosed(flowTab().id);
  const alert = await opened.waitFor(() => opened.alert(), 'the alert');
  expect(alert).toBe(
    "The sign-in tab was closed before Zulip Dev sent your account back, so nothing was saved. If Zulip said it has no account for you, ask the organization's administrators for an invitation.",
  );
  expect(opened.button('Log in with Google')).not.toBeNull();
  expect((await fake.browser.storage.local.get(null))).not.toHaveProperty(`account:${server.url}`);
});

it('Cancel sign-in closes the tab and goes back to the organization', async () => {
  const opened = await toOrganization();
  await opened.click('Log in with Google');
  await opened.click('Cancel sign-in');
  await opened.waitFor(() => opened.text().includes('Signing in to Zulip Dev was cancelled. Nothing was saved.'), 'the status');
  await opened.waitFor(() => opened.button('Log in with Google'), 'the buttons again');
  expect(fake.tabs.size).toBe(0);
});

it('says why it asks for a host, and a refusal opens no tab and says what to do', async () => {
  fake.granted.clear();
  const opened = await reopen();
  fake.granted.add(originPermissionPattern(server.url));
  await opened.click('Add account');
  await opened.fill('Server URL', server.url);
  await opened.click('Continue');
  await opened.waitFor(() => opened.button('Log in with Google'), 'the SSO buttons');
  fake.granted.clear();
  fake.state.permissionAnswer = false;
  const again = await reopen();
  await again.waitFor(() => again.button('Log in with Google'), 'the restored organization');
  expect(again.text()).toContain(`Your browser will ask to let this extension reach ${server.url.replace(/:\d+$/, '')}: Zulip Dev sends you back through there`);
  await again.click('Log in with Google');
  expect(await again.waitFor(() => again.alert(), 'the alert')).toBe(
    `Signing in with Google needs your permission to reach ${server.url.replace(/:\d+$/, '')}. Press “Log in with Google” again and allow it.`,
  );
  expect(fake.state.permissionRequests.at(-1)).toEqual([originPermissionPattern(server.url)]);
  expect(fake.tabs.size).toBe(0);
});

function document_of(opened: PopupDom): Document {
  return opened.button('Log in with GitHub')!.ownerDocument;
}

it("on a multi-organization server asks for the realm's host and its root's together, from the click, and says why", async () => {
  const root = await startFakeZulip({ realm: null, host: 'localhost', realmlessHost: 'root' });
  const multi = await startFakeZulip({
    realm: createDemoRealm({ name: 'Multi Org', externalAuthenticationMethods: [GOOGLE], sso: { identityProvider: 'http://localhost:1', socialAuthServer: root } }),
    subdomain: 'multi',
  });
  try {
    fake.granted.add(originPermissionPattern(multi.url));
    const opened = await reopen();
    await opened.click('Add account');
    await opened.fill('Server URL', multi.url);
    await opened.click('Continue');
    await opened.waitFor(() => opened.button('Log in with Google'), 'the SSO button');
    expect(opened.text()).toContain('Your browser will ask to let this extension reach http://localhost: Multi Org sends you back through there');
    await opened.click('Log in with Google');
    await opened.waitFor(() => opened.text().includes('Finish signing in to Multi Org'), 'the waiting view');
    expect(fake.state.permissionRequests.at(-1)).toEqual([originPermissionPattern(multi.url), 'http://localhost/*']);
    expect(new URL([...fake.tabs.values()][0]!.url).origin).toBe(multi.url);
  } finally {
    await multi.close();
    await root.close();
  }
});
