// The product build in real Firefox, in the real toolbar popup: no host is held at install, Continue
// asks for exactly the one origin typed, and Firefox's own prompt is answered as a person would, with
// its doorhanger's buttons; the popup stays open through it. Headless Chromium cannot answer a prompt
// at all (and closes the popup for it, chrome-prompt.e2e.test.ts), which is why its other tests use
// the test build (see README).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoRealm, GOOGLE_AUTH_METHOD, IAGO } from '../fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { startFakeIdentityProvider, type FakeIdentityProvider } from '../fake-zulip/identity-provider';
import { pollUntil } from './harness/util';
import { launchExtensionBrowser, type ExtensionBrowser, type ToolbarPopupDriver } from './harness/extension-browser';

describe('firefox, product build', () => {
  let browser: ExtensionBrowser;
  let realm: FakeZulipServer;
  let idp: FakeIdentityProvider;
  let root: FakeZulipServer;
  let multiRealm: FakeZulipServer;
  let popup: ToolbarPopupDriver;

  beforeAll(async () => {
    realm = await startFakeZulip({ realm: createDemoRealm() });
    // Single sign-on on a multi-organization server: the realm on 127.0.0.1, its root (which
    // answers the final redirect) and the identity provider on localhost.
    idp = await startFakeIdentityProvider({ host: 'localhost', identities: [IAGO.email] });
    root = await startFakeZulip({ realm: null, host: 'localhost', realmlessHost: 'root' });
    multiRealm = await startFakeZulip({
      realm: createDemoRealm({ name: 'Multi Org', externalAuthenticationMethods: [GOOGLE_AUTH_METHOD], sso: { identityProvider: idp.url, socialAuthServer: root } }),
      subdomain: 'multi',
    });
    browser = await launchExtensionBrowser('firefox', {
      distDir: join('dist', 'firefox'),
      firefoxPrefs: { 'extensions.webextOptionalPermissionPrompts': true },
    });
    popup = await browser.openToolbarPopup();
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([realm?.close(), multiRealm?.close(), root?.close(), idp?.close()]);
  });

  const grantedOrigins = () =>
    popup.evaluate(async () => {
      const api = (globalThis as unknown as { browser: { permissions: { getAll(): Promise<{ origins?: string[] }> } } }).browser;
      return (await api.permissions.getAll()).origins ?? [];
    });

  it('holds no host at install', async () => {
    expect(await grantedOrigins()).toEqual([]);
  });

  it('refused at the prompt, says how to go on and holds nothing', async () => {
    await popup.clickButton('Add account');
    await popup.fillByLabel('Server URL', realm.url);
    await popup.clickButton('Continue');
    await browser.answerPermissionPrompt('deny');
    await popup.waitForText(/needs your permission to connect to .*Press Continue again and allow it\./);
    expect(await grantedOrigins()).toEqual([]);
  });

  it('asks for the realm\'s origin from the click on Continue; allowed, the popup carries on and signs in', async () => {
    await popup.clickButton('Continue');
    await browser.answerPermissionPrompt('allow');
    await popup.waitForText('Zulip Dev');
    expect(await popup.isOpen()).toBe(true);
    expect(await grantedOrigins()).toEqual(['http://127.0.0.1/*']);
    await popup.fillByLabel('Email', IAGO.email);
    await popup.fillByLabel('Password', IAGO.password);
    await popup.clickButton('Log in');
    await popup.waitForButton('Remove iago@zulip.com from Zulip Dev');
  });

  it("single sign-on on a multi-organization server asks for the realm's host and its root's from the click, and signs in", async () => {
    await popup.close();
    popup = await browser.openToolbarPopup();
    await popup.clickButton('Add account');
    await popup.fillByLabel('Server URL', multiRealm.url);
    await popup.clickButton('Continue');
    await popup.waitForText('Your browser will ask to let this extension reach http://localhost: Multi Org sends you back through there');
    expect(await grantedOrigins()).toEqual(['http://127.0.0.1/*']);
    await popup.clickButton('Log in with Google');
    await browser.answerPermissionPrompt('allow');
    await popup.waitForText('Finish signing in to Multi Org');
    expect(await grantedOrigins()).toEqual(['http://127.0.0.1/*', 'http://localhost/*']);
    const tab = await browser.waitForTab((url) => url.startsWith(`${idp.url}/authorize`));
    await tab.clickButton(`Continue as ${IAGO.email}`).catch(() => undefined);
    await pollUntil(async () => ((await browser.tabUrls()).some((url) => url.startsWith(idp.url)) ? undefined : true), 10_000, 'the tab to close');
    await popup.waitForText(`Signed in to Multi Org as ${IAGO.email}.`);
    expect(root.requests.map((request) => request.path)).toContain('/complete/google/');
  });
});
