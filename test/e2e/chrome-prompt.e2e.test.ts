// Chromium closes the real toolbar popup the moment its host-permission prompt appears (and headless Chromium cannot
// answer the prompt), so the click that asks is the popup's last act: what the person typed must be saved by then, in
// storage.session only, and never the password. Firefox keeps its popup open through the prompt
// (host-permission.e2e.test.ts). What happens after a grant is tested where a grant can be produced: in Firefox end to
// end, and in the background's unit tests with the fake browser.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoRealm, IAGO } from '../fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { launchExtensionBrowser, type ExtensionBrowser } from './harness/extension-browser';
import { persistedSources, readPersistedState } from './harness/persisted-state';
import { findSecrets } from './harness/secret-scan';

/** A canonical URL on a host the test build does not hold: Log in has to ask for it. */
const CANONICAL_REALM_URL = 'https://zulip.example.com';

let realm: FakeZulipServer;
let elsewhere: FakeZulipServer;

beforeAll(async () => {
  realm = await startFakeZulip({ realm: createDemoRealm() });
  elsewhere = await startFakeZulip({ realm: createDemoRealm({ name: 'Canonical Org' }), realmUrl: CANONICAL_REALM_URL });
});
afterAll(async () => {
  await Promise.all([realm?.close(), elsewhere?.close()]);
});

/** What the sign-in left behind: every storage area and the rest of what the extension can persist. */
async function leftBehind(browser: ExtensionBrowser) {
  const state = await readPersistedState(browser);
  const accounts = Object.keys(state.storageLocal).filter((key) => key.startsWith('account'));
  return { state, accounts, sources: persistedSources(state), console: browser.consoleMessages().join('\n') };
}

describe('chromium, product build', () => {
  let browser: ExtensionBrowser;
  beforeAll(async () => {
    browser = await launchExtensionBrowser('chromium', { distDir: join('dist', 'chrome') });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('Continue for a new organization closes the popup and leaves the typed server in storage.session, nothing else', async () => {
    const popup = await browser.openToolbarPopup();
    await popup.clickButton('Add account');
    await popup.fillByLabel('Server URL', realm.url);
    await popup.clickButton('Continue');
    await popup.waitUntilClosed();
    const { state, accounts } = await leftBehind(browser);
    expect(JSON.stringify(state.storageSession)).toContain(realm.url);
    expect(accounts).toEqual([]);
    expect(state.storageSync).toEqual({});
    // Without the grant nothing could reach the server.
    expect(realm.requests).toEqual([]);
  });
});

describe('chromium, a realm whose canonical URL is on a host not held', () => {
  let browser: ExtensionBrowser;
  beforeAll(async () => {
    browser = await launchExtensionBrowser('chromium');
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('Log in asks for that host: the popup closes with the password typed, and the password is nowhere', async () => {
    const popup = await browser.openToolbarPopup();
    await popup.clickButton('Add account');
    await popup.fillByLabel('Server URL', elsewhere.url);
    await popup.clickButton('Continue');
    await popup.waitForText('Canonical Org');
    await popup.fillByLabel('Email', IAGO.email);
    await popup.fillByLabel('Password', IAGO.password);
    await popup.clickButton('Log in');
    await popup.waitUntilClosed();
    const { state, accounts, sources, console } = await leftBehind(browser);
    expect(JSON.stringify(state.storageSession)).toContain(IAGO.email);
    expect(accounts).toEqual([]);
    expect(findSecrets({ ...sources, console }, [{ name: "Iago's password", value: IAGO.password }])).toEqual([]);
    expect(elsewhere.requests.map((request) => request.path)).not.toContain('/api/v1/fetch_api_key');
  });
});
