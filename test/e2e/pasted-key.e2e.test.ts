// The two ways in that need no password typed into the extension, in real Chromium and real Firefox
// on the built test extension, against the fake Zulip server over real HTTP, in the real toolbar
// popup: an API key pasted by hand, and a development server's sign-in (and a production server
// that lists it but, being production, does not route it).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoRealm, DESDEMONA, IAGO } from '../fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { BROWSER_KINDS, launchExtensionBrowser, type ExtensionBrowser, type ToolbarPopupDriver } from './harness/extension-browser';
import { persistedSources, readPersistedState } from './harness/persisted-state';
import { findSecrets } from './harness/secret-scan';

const SCREENSHOTS = join('artifacts', 'screenshots');

// What the functions below find in the content script's isolated world (they run there, as source text).
interface KeyringWorld {
  keyringForZulip: { getCredentials(realm?: string): Promise<unknown> };
}

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let browser: ExtensionBrowser;
  let realm: FakeZulipServer;
  let devServer: FakeZulipServer;
  let productionServer: FakeZulipServer;
  let popup: ToolbarPopupDriver;
  const shot = (name: string) => popup.screenshot(join(SCREENSHOTS, kind, `${name}.png`), 'body');
  const accountKeys = async () => Object.keys(await browser.readStorageLocal()).filter((key) => key.startsWith('account'));
  const getCredentials = (page: string) => browser.runInContentScript(page, () => (globalThis as unknown as KeyringWorld).keyringForZulip.getCredentials());

  beforeAll(async () => {
    mkdirSync(join(SCREENSHOTS, kind), { recursive: true });
    realm = await startFakeZulip({ realm: createDemoRealm() });
    devServer = await startFakeZulip({ realm: createDemoRealm({ name: 'Dev Server', devAuthEnabled: true }) });
    productionServer = await startFakeZulip({ realm: createDemoRealm({ name: 'Production Server', devAuthEnabled: true, production: true }) });
    browser = await launchExtensionBrowser(kind);
    popup = await browser.openToolbarPopup();
  });

  afterAll(async () => {
    await browser?.close();
    await realm?.close();
    await devServer?.close();
    await productionServer?.close();
  });

  it('a wrong key shows its message, keeps the email, empties the key and stores nothing', async () => {
    await popup.clickButton('Add account');
    await popup.fillByLabel('Server URL', realm.url);
    await popup.clickButton('Continue');
    await popup.clickButton('Use an API key instead');
    await popup.fillByLabel('Email', IAGO.email);
    await popup.fillByLabel('API key', DESDEMONA.apiKey);
    await shot('api-key-form');
    await popup.clickButton('Add account');
    const message = 'Zulip Dev does not accept this API key for iago@zulip.com.';
    await popup.waitForText(message);
    expect(await popup.textOf('[role="alert"]')).toContain(message);
    expect(await popup.inputValue('Email')).toBe(IAGO.email);
    expect(await popup.inputValue('API key')).toBe('');
    expect(await accountKeys()).toEqual([]);
  });

  it('the right key, kept from the server by a proxy that strips the Authorization header (401 "Not logged in"), is not called wrong, and nothing is stored', async () => {
    realm.stripAuthorization = true;
    try {
      await popup.fillByLabel('API key', IAGO.apiKey);
      await popup.clickButton('Add account');
      const message = `The API key did not reach ${realm.url}: something between this browser and the server, such as a proxy, may be removing the Authorization header.`;
      await popup.waitForText(message);
      expect(await popup.textOf('[role="alert"]')).toContain(message);
      expect(await popup.textOf('[role="alert"]')).not.toContain('does not accept this API key');
      expect(await accountKeys()).toEqual([]);
    } finally {
      realm.stripAuthorization = false;
    }
  });

  it("adds the account with Iago's pasted key, and the realm's content script receives it", async () => {
    await popup.fillByLabel('API key', IAGO.apiKey);
    await popup.clickButton('Add account');
    await popup.waitForText('Signed in to Zulip Dev as iago@zulip.com.');
    await popup.waitForButton(/^Remove iago@zulip\.com/);
    expect(realm.requests.filter((request) => request.path === '/api/v1/fetch_api_key')).toEqual([]);
    await browser.openPage(`${realm.url}/`);
    expect(await getCredentials(`${realm.url}/`)).toEqual({ ok: true, credentials: { realm: realm.url, email: IAGO.email, apiKey: IAGO.apiKey, userId: IAGO.userId } });
  });

  it('left neither key in plaintext in anything it can persist, on any console or in any URL', async () => {
    const state = await readPersistedState(browser);
    expect(state.unavailable).toEqual({});
    const sources = {
      ...persistedSources(state),
      console: browser.consoleMessages().join('\n'),
      'request URLs': realm.requests.map((request) => `${realm.url}${request.path}?${request.query}`).join('\n'),
    };
    expect(findSecrets(sources, [{ name: "Iago's key", value: IAGO.apiKey }, { name: "Desdemona's key, pasted by mistake", value: DESDEMONA.apiKey }])).toEqual([]);
  });

  it("signs in on a development server as one of the users it lists, and that realm's content script receives the key", async () => {
    await popup.clickButton('Add account');
    await popup.fillByLabel('Server URL', devServer.url);
    await popup.clickButton('Continue');
    await popup.waitForText('Development sign-in');
    await popup.waitForButton('Log in as desdemona@zulip.com');
    await shot('dev-sign-in');
    await popup.clickButton('Log in as desdemona@zulip.com');
    await popup.waitForText('Signed in to Dev Server as desdemona@zulip.com.');
    await popup.waitForButton(/^Remove desdemona@zulip\.com/);
    expect(devServer.requests.filter((request) => request.path === '/api/v1/dev_fetch_api_key').map((request) => request.body)).toEqual([
      `username=${encodeURIComponent(DESDEMONA.email)}`,
    ]);
    await browser.openPage(`${devServer.url}/`);
    expect(await getCredentials(`${devServer.url}/`)).toMatchObject({ ok: true, credentials: { realm: devServer.url, email: DESDEMONA.email, apiKey: DESDEMONA.apiKey } });
  });

  it("says the development sign-in is not available on a production server whose endpoints answer Django's 404, and keeps the password form", async () => {
    await popup.clickButton('Add account');
    await popup.fillByLabel('Server URL', productionServer.url);
    await popup.clickButton('Continue');
    await popup.waitForText('Development sign-in');
    await popup.waitForText(`${productionServer.url} is a production server: it does not offer the development sign-in. Log in another way.`);
    await shot('dev-sign-in-production');
    expect(await popup.textOf('body')).not.toContain('does not look like a Zulip server');
    await popup.waitForButton('Log in');
    expect(productionServer.requests.map((request) => request.path)).toContain('/api/v1/dev_list_users');
  });
});
