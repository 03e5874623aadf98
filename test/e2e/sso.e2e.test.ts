// Single sign-on in real Chromium and real Firefox, driven as a person would: the real toolbar popup's button,
// the identity provider's page in the tab the extension opens, and the final 302 to zulip://login
// that the background has to see with webRequest. Against the fake Zulip server over real HTTP, in
// both layouts: the realm answering the final redirect itself (single-organization servers), and a
// root server on another host answering it (multi-organization servers); and remote-user SSO, where
// the web server in front of the realm authenticates the person and the realm itself answers. Chromium
// closes the real toolbar popup when the provider's tab opens, so there the outcome is read from the
// popup opened next; Firefox keeps it open.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDemoRealm, GITHUB_AUTH_METHOD, GOOGLE_AUTH_METHOD, IAGO, REMOTE_USER_AUTH_METHOD, STRANGER_EMAIL } from '../fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { startFakeIdentityProvider, type FakeIdentityProvider } from '../fake-zulip/identity-provider';
import { BROWSER_KINDS, launchExtensionBrowser, type ExtensionBrowser, type ToolbarPopupDriver } from './harness/extension-browser';
import { pollUntil } from './harness/util';

interface KeyringWorld {
  keyringForZulip: { getCredentials(realm?: string): Promise<unknown> };
}
interface ExtensionWorld {
  browser?: { storage: { session: { get(keys: null): Promise<Record<string, unknown>>; remove(key: string): Promise<void> } } };
  chrome?: ExtensionWorld['browser'];
}

/** Zulip 2.1 names the account in its final redirect as the identity provider spelled the address. */
const IAGO_AS_SPELLED_BY_IDP = 'Iago@Zulip.com';

const TAB_CLOSED =
  "The sign-in tab was closed before Zulip Dev sent your account back, so nothing was saved. If Zulip said it has no account for you, ask the organization's administrators for an invitation.";

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let browser: ExtensionBrowser;
  let idp: FakeIdentityProvider;
  /** A single-organization server: the realm answers the final redirect. */
  let realm: FakeZulipServer;
  /** The root of a multi-organization server, on another host than its realm. */
  let root: FakeZulipServer;
  let multiRealm: FakeZulipServer;
  /** Offers remote-user SSO (/accounts/login/start/sso/). */
  let remoteUserRealm: FakeZulipServer;
  /** Zulip 4.x and 2.1, whose final redirect has no user_id (feature level 108 added it). */
  let realm4: FakeZulipServer;
  let realm21: FakeZulipServer;

  beforeAll(async () => {
    idp = await startFakeIdentityProvider({ host: 'localhost', identities: [IAGO.email, IAGO_AS_SPELLED_BY_IDP, STRANGER_EMAIL] });
    const methods = [GOOGLE_AUTH_METHOD, GITHUB_AUTH_METHOD];
    realm = await startFakeZulip({ realm: createDemoRealm({ externalAuthenticationMethods: methods, sso: { identityProvider: idp.url } }) });
    root = await startFakeZulip({ realm: null, host: 'localhost', realmlessHost: 'root' });
    multiRealm = await startFakeZulip({
      realm: createDemoRealm({ name: 'Multi Org', externalAuthenticationMethods: methods, sso: { identityProvider: idp.url, socialAuthServer: root } }),
      subdomain: 'multi',
    });
    remoteUserRealm = await startFakeZulip({
      realm: createDemoRealm({ name: 'Remote Org', externalAuthenticationMethods: [REMOTE_USER_AUTH_METHOD], sso: { identityProvider: idp.url } }),
    });
    const old = (name: string, zulipVersion: string, featureLevel: number) =>
      startFakeZulip({ realm: createDemoRealm({ name, zulipVersion, featureLevel, externalAuthenticationMethods: methods, sso: { identityProvider: idp.url } }) });
    realm4 = await old('Org on 4.x', '4.11', 65);
    realm21 = await old('Org on 2.1', '2.1.8', 0);
    browser = await launchExtensionBrowser(kind);
    mkdirSync(join('artifacts', 'screenshots', kind), { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([realm?.close(), multiRealm?.close(), root?.close(), remoteUserRealm?.close(), realm4?.close(), realm21?.close(), idp?.close()]);
  });

  // A failed flow leaves the popup on the organization's step, which a reopened popup resumes;
  // each test starts from the accounts list.
  beforeEach(async () => {
    await browser.evaluateInExtensionPage(async () => {
      const world = globalThis as unknown as ExtensionWorld;
      await (world.browser ?? world.chrome)!.storage.session.remove('popupDraft');
    });
  });

  /**
   * From a fresh popup to the organization's sign-in step, then the button: the flow's tab opens. Chromium closes the
   * popup as that tab comes to the front; Firefox keeps it open, waiting.
   */
  async function startWith(server: FakeZulipServer, method = 'Google'): Promise<ToolbarPopupDriver> {
    const popup = await browser.openToolbarPopup();
    await popup.clickButton('Add account');
    await popup.fillByLabel('Server URL', server.url);
    await popup.clickButton('Continue');
    await popup.clickButton(`Log in with ${method}`);
    if (kind === 'chromium') await popup.waitUntilClosed();
    else await popup.waitForText(/Finish signing in to/);
    return popup;
  }
  /** The popup still open, or the one a person opens next (Chromium closed it): what it shows is kept for it. */
  const openAgainIfClosed = async (popup: ToolbarPopupDriver) => ((await popup.isOpen()) ? popup : browser.openToolbarPopup());
  const identityProviderTab = () => browser.waitForTab((url) => url.startsWith(`${idp.url}/authorize`));
  const idpTabOpen = async () => (await browser.tabUrls()).some((url) => url.startsWith(idp.url));
  /** Picks an identity; the tab may close under the click, which is the point. */
  async function continueAs(email: string): Promise<void> {
    const tab = await identityProviderTab();
    await tab.clickButton(`Continue as ${email}`).catch(() => undefined);
  }
  const tabClosedByItself = () => pollUntil(async () => ((await idpTabOpen()) ? undefined : true), 10_000, 'the sign-in tab to close by itself');
  const stored = async (server: FakeZulipServer) => (await browser.readStorageLocal())[`account:${server.url}`];
  const sessionKeys = () =>
    browser.evaluateInExtensionPage(async () => {
      const world = globalThis as unknown as ExtensionWorld;
      return Object.keys(await (world.browser ?? world.chrome)!.storage.session.get(null));
    });
  /** The realm's page gets Iago's key from its content script. */
  async function expectIagoOnPage(server: FakeZulipServer): Promise<void> {
    const page = await browser.openPage(`${server.url}/`);
    try {
      const credentials = await browser.runInContentScript(`${server.url}/`, () => (globalThis as unknown as KeyringWorld).keyringForZulip.getCredentials());
      expect(credentials).toEqual({ ok: true, credentials: { realm: server.url, email: IAGO.email, apiKey: IAGO.apiKey, userId: IAGO.userId } });
    } finally {
      await page.close();
    }
  }
  /** Nothing of a flow is left once it ended: no pad, no tab. */
  async function expectNoFlowLeft(): Promise<void> {
    expect(await sessionKeys()).not.toContain('ssoFlow');
    expect(await idpTabOpen()).toBe(false);
  }

  it("offers the organization's methods in its order, with their icons", async () => {
    const popup = await browser.openToolbarPopup();
    try {
      await popup.clickButton('Add account');
      await popup.fillByLabel('Server URL', realm.url);
      await popup.clickButton('Continue');
      await popup.waitForButton('Log in with Google');
      // The buttons come before their icons have loaded: each icon is read once it has (decode() waits for that, and
      // rejects for one that fails, which then reads as 0 wide).
      const buttons = await popup.evaluate(async () => {
        const rows = [...document.querySelectorAll('button.sso-button')].map((button) => ({ button, icon: button.querySelector('img') }));
        await Promise.all(rows.map(({ icon }) => icon?.decode().catch(() => undefined)));
        return rows.map(({ button, icon }) => ({ name: button.textContent, iconLoaded: icon?.naturalWidth ?? 0 }));
      });
      expect(buttons).toEqual([
        { name: 'Log in with Google', iconLoaded: 16 },
        { name: 'Log in with GitHub', iconLoaded: 16 },
      ]);
      await popup.waitForButton('Log in');
      await popup.screenshot(join('artifacts', 'screenshots', kind, 'sso-buttons.png'), 'body');
    } finally {
      await popup.close();
    }
  });

  it('closing the tab at the identity provider ends the flow, says so, and stores nothing', async () => {
    let popup = await startWith(realm);
    try {
      await (await identityProviderTab()).close();
      popup = await openAgainIfClosed(popup);
      await popup.waitForText(TAB_CLOSED);
      expect(await stored(realm)).toBeUndefined();
      await expectNoFlowLeft();
    } finally {
      await popup.close();
    }
  });

  it("an identity without an account ends on Zulip's own page, never redirected; closing it ends the flow", async () => {
    let popup = await startWith(realm);
    try {
      await continueAs(STRANGER_EMAIL);
      const page = await browser.waitForTab((url) => url.startsWith(`${realm.url}/accounts/login/subdomain/`));
      await page.waitForText(`No account found for ${STRANGER_EMAIL}`);
      expect(await sessionKeys()).toContain('ssoFlow');
      await page.close();
      popup = await openAgainIfClosed(popup);
      await popup.waitForText(TAB_CLOSED);
      expect(await stored(realm)).toBeUndefined();
      expect(await sessionKeys()).not.toContain('ssoFlow');
    } finally {
      await popup.close();
    }
  });

  it.each([
    ['wrong-realm', 'The answer that came back named another organization than Zulip Dev, so it was refused and nothing was saved.'],
    ['short-key', 'The API key sent back by Zulip Dev could not be read, so nothing was saved. Please try again.'],
  ] as const)('a tampered final redirect (%s) is refused: the tab closes, the reason is shown, nothing is stored', async (tamper, message) => {
    realm.realm!.sso!.tamper = tamper;
    let popup = await startWith(realm);
    try {
      await continueAs(IAGO.email);
      await tabClosedByItself();
      popup = await openAgainIfClosed(popup);
      await popup.waitForText(message);
      expect(await stored(realm)).toBeUndefined();
      await expectNoFlowLeft();
    } finally {
      delete realm.realm!.sso!.tamper;
      await popup.close();
    }
  });

  it('signs in with the background stopped while the person is at the identity provider: the redirect wakes it', async () => {
    const popup = await startWith(realm);
    // The popup asks about the flow while it is open, which would wake the background: Chromium closed it
    // already as the tab opened, and a person would leave Firefox's to go to the tab.
    await popup.close();
    await identityProviderTab();
    await browser.stopBackground();
    await continueAs(IAGO.email);
    await tabClosedByItself();
    const reopened = await browser.openToolbarPopup();
    try {
      await reopened.waitForText(`Signed in to Zulip Dev as ${IAGO.email}.`);
      await reopened.waitForButton(`Remove ${IAGO.email} from Zulip Dev`);
    } finally {
      await reopened.close();
    }
    expect(await stored(realm)).toMatchObject({ realmUrl: realm.url, defaultUserId: IAGO.userId, accounts: [{ email: IAGO.email, userId: IAGO.userId, credentialStatus: 'valid' }] });
    await expectNoFlowLeft();
    await expectIagoOnPage(realm);
  });

  it("signs in with remote-user SSO: the button named SSO, the web server's identity provider, then the realm's own redirect", async () => {
    let popup = await startWith(remoteUserRealm, 'SSO');
    try {
      await continueAs(IAGO.email);
      await tabClosedByItself();
      popup = await openAgainIfClosed(popup);
      await popup.waitForText(`Signed in to Remote Org as ${IAGO.email}.`);
      expect(remoteUserRealm.requests.map((request) => request.path)).toEqual(expect.arrayContaining(['/accounts/login/start/sso/', '/accounts/login/sso/']));
      expect(await stored(remoteUserRealm)).toMatchObject({ realmUrl: remoteUserRealm.url, accounts: [{ email: IAGO.email, userId: IAGO.userId }] });
      await expectNoFlowLeft();
    } finally {
      await popup.close();
    }
    await expectIagoOnPage(remoteUserRealm);
  });

  it("signs in on a multi-organization server, whose root on another host answers the final redirect", async () => {
    let popup = await startWith(multiRealm, 'GitHub');
    try {
      // Opened again while the person is at the provider, Chromium's popup shows the flow waiting.
      popup = await openAgainIfClosed(popup);
      await popup.waitForText('Finish signing in to Multi Org');
      await popup.screenshot(join('artifacts', 'screenshots', kind, 'sso-waiting.png'), 'body');
      await continueAs(IAGO.email);
      await tabClosedByItself();
      popup = await openAgainIfClosed(popup);
      await popup.waitForText(`Signed in to Multi Org as ${IAGO.email}.`);
      expect(root.requests.map((request) => request.path)).toContain('/complete/github/');
      expect(multiRealm.requests.map((request) => request.path)).not.toContain('/complete/github/');
      expect(await stored(multiRealm)).toMatchObject({ realmUrl: multiRealm.url, accounts: [{ email: IAGO.email }] });
      await expectNoFlowLeft();
    } finally {
      await popup.close();
    }
  });

  it('signs in on Zulip 4.x, whose final redirect has no user id: the key asks users/me whose it is, and the account is stored', async () => {
    let popup = await startWith(realm4);
    try {
      await continueAs(IAGO.email);
      await tabClosedByItself();
      popup = await openAgainIfClosed(popup);
      await popup.waitForText(`Signed in to Org on 4.x as ${IAGO.email}.`);
      expect(await stored(realm4)).toMatchObject({ realmUrl: realm4.url, accounts: [{ email: IAGO.email, userId: IAGO.userId, featureLevel: 65, credentialStatus: 'valid' }] });
      const usersMe = realm4.requests.filter((request) => request.path === '/api/v1/users/me');
      expect(usersMe.map((request) => request.headers.authorization)).toEqual([`Basic ${Buffer.from(`${IAGO.email}:${IAGO.apiKey}`).toString('base64')}`]);
      await expectNoFlowLeft();
    } finally {
      await popup.close();
    }
  });

  it("signs in on Zulip 2.1, whose final redirect spells the email as the identity provider did: the account keeps the server's spelling", async () => {
    let popup = await startWith(realm21);
    try {
      await continueAs(IAGO_AS_SPELLED_BY_IDP);
      await tabClosedByItself();
      popup = await openAgainIfClosed(popup);
      await popup.waitForText(`Signed in to Org on 2.1 as ${IAGO.email}.`);
      expect(await stored(realm21)).toMatchObject({ accounts: [{ email: IAGO.email, userId: IAGO.userId, zulipVersion: '2.1.8' }] });
      await expectNoFlowLeft();
      const page = await browser.openPage(`${realm21.url}/`);
      try {
        const credentials = await browser.runInContentScript(`${realm21.url}/`, () => (globalThis as unknown as KeyringWorld).keyringForZulip.getCredentials());
        expect(credentials).toEqual({ ok: true, credentials: { realm: realm21.url, email: IAGO.email, apiKey: IAGO.apiKey, userId: IAGO.userId } });
      } finally {
        await page.close();
      }
    } finally {
      await popup.close();
    }
  });
});
