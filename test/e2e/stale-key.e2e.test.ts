// A key the organization stops accepting, in real Chromium and real Firefox: Check, the quiet
// check when the popup opens, what content scripts get, and signing in again.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoRealm, IAGO } from '../fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { htmlPage } from '../fake-zulip/faults';
import { regenerateApiKey, setRealmDeactivated } from '../fake-zulip/realm-admin';
import { BROWSER_KINDS, launchExtensionBrowser, type ExtensionBrowser, type ToolbarPopupDriver } from './harness/extension-browser';
import { addAccountWithPassword } from './harness/popup-steps';

const SCREENSHOTS = join('artifacts', 'screenshots');
const CHECK_IAGO = 'Check iago@zulip.com at Zulip Dev';
const SIGN_IN_AGAIN_IAGO = 'Sign in again as iago@zulip.com at Zulip Dev';
const KEY_REFUSED = 'The organization no longer accepts the saved key; it may have been regenerated.';
const HOUR = 60 * 60 * 1000;

// What the functions below find in the content script's isolated world (they run there, as source text).
interface KeyringWorld {
  keyringForZulip: { getCredentials(realm?: string): Promise<unknown> };
}
interface StorageWorld {
  storage: { local: { get(key: string): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> } };
}

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let browser: ExtensionBrowser;
  let realm: FakeZulipServer;
  let popup: ToolbarPopupDriver;
  let currentKey: string = IAGO.apiKey;
  const shot = (name: string) => popup.screenshot(join(SCREENSHOTS, kind, `${name}.png`), 'body');
  const usersMeRequests = () => realm.requests.filter((request) => request.path === '/api/v1/users/me').length;
  const credentials = () =>
    browser.runInContentScript(`${realm.url}/`, () => (globalThis as unknown as KeyringWorld).keyringForZulip.getCredentials());
  const reopenPopup = async () => {
    await popup.close();
    popup = await browser.openToolbarPopup();
  };

  beforeAll(async () => {
    mkdirSync(join(SCREENSHOTS, kind), { recursive: true });
    realm = await startFakeZulip({ realm: createDemoRealm() });
    browser = await launchExtensionBrowser(kind);
    popup = await browser.openToolbarPopup();
  });

  afterAll(async () => {
    await browser?.close();
    await realm?.close();
  });

  it('signs in through the popup, and the realm\'s page gets the key', async () => {
    await addAccountWithPassword(popup, realm.url, IAGO);
    await popup.waitForButton(CHECK_IAGO);
    await browser.openPage(`${realm.url}/`);
    expect(await credentials()).toMatchObject({ ok: true, credentials: { apiKey: IAGO.apiKey } });
  });

  it('opening the popup within the hour after signing in asks the server nothing; Check asks once', async () => {
    await reopenPopup();
    await popup.waitForButton(CHECK_IAGO);
    await popup.clickButton(CHECK_IAGO);
    await popup.waitForText('Zulip Dev accepts the key of iago@zulip.com.');
    expect(await popup.textOf('[role="status"]')).toBe('Zulip Dev accepts the key of iago@zulip.com.');
    expect(usersMeRequests()).toBe(1);
  });

  it('Check after the key was regenerated on the server shows Sign in again with the reason', async () => {
    currentKey = regenerateApiKey(realm.realm!, IAGO.email);
    await popup.clickButton(CHECK_IAGO);
    await popup.waitForButton(SIGN_IN_AGAIN_IAGO);
    await popup.waitForText(KEY_REFUSED);
    expect(await popup.textOf('[role="status"]')).toBe(`Sign in again to Zulip Dev as iago@zulip.com. ${KEY_REFUSED}`);
    await shot('sign-in-again');
  });

  it('the content script on the realm\'s page gets INVALID_CREDENTIALS and no key', async () => {
    const before = realm.requests.length;
    const reply = await credentials();
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'INVALID_CREDENTIALS',
        message: 'The organization no longer accepts the saved key for this account. Sign in again from the Keyring for Zulip button in the toolbar.',
      },
    });
    expect(realm.requests.length).toBe(before);
  });

  it('keeps the Sign in again state readable in the dark scheme', async () => {
    const colours = () =>
      popup.evaluate(() => {
        const reason = document.querySelector('.refusal p');
        return [getComputedStyle(document.body).backgroundColor, reason ? getComputedStyle(reason).color : ''];
      });
    const lightness = (color: string) => (color.match(/\d+/g) ?? []).slice(0, 3).map(Number).reduce((sum, value) => sum + value, 0);
    await popup.emulateColorScheme('dark');
    const [background, reason] = await colours();
    expect(lightness(background ?? '')).toBeLessThan(200);
    expect(lightness(reason ?? '')).toBeGreaterThan(500);
    await shot('sign-in-again-dark');
    await popup.emulateColorScheme('light');
  });

  it('Sign in again opens the form with the organization and email filled in and the password focused; logging in renews the key', async () => {
    await popup.clickButton(SIGN_IN_AGAIN_IAGO);
    await popup.waitForText('Zulip 10.0');
    await popup.waitForText(realm.url);
    expect(await popup.inputValue('Email')).toBe(IAGO.email);
    expect(await popup.focusedElementName()).toBe('Password');
    await popup.typeText(IAGO.password);
    await popup.pressKey('Enter');
    await popup.waitForText('Signed in to Zulip Dev as iago@zulip.com.');
    await popup.waitForButton(CHECK_IAGO);
    expect(await popup.textOf('.refusal')).toBe('');
    expect(await credentials()).toEqual({ ok: true, credentials: { realm: realm.url, email: IAGO.email, apiKey: currentKey, userId: IAGO.userId } });
  });

  it('a Check that gets no answer about the key says so and changes nothing', async () => {
    realm.override('/api/v1/users/me', htmlPage(502));
    try {
      await popup.clickButton(CHECK_IAGO);
      await popup.waitForText('iago@zulip.com at Zulip Dev could not be checked and stays as it was.');
      expect(await popup.textOf('[role="alert"]')).toContain(`The server at ${realm.url} has a problem (HTTP 502).`);
      expect(await popup.textOf('.refusal')).toBe('');
      expect(await credentials()).toMatchObject({ ok: true, credentials: { apiKey: currentKey } });
    } finally {
      realm.override('/api/v1/users/me', null);
    }
  });

  it('a Check whose key a proxy strips on the way (401 "Not logged in") says the server did not receive the key, and changes nothing', async () => {
    realm.stripAuthorization = true;
    try {
      await popup.clickButton(CHECK_IAGO);
      await popup.waitForText('iago@zulip.com at Zulip Dev could not be checked and stays as it was.');
      expect(await popup.textOf('[role="alert"]')).toContain(
        `The API key did not reach ${realm.url}: something between this browser and the server, such as a proxy, may be removing the Authorization header.`,
      );
      expect(await popup.textOf('.refusal')).toBe('');
      expect(await credentials()).toMatchObject({ ok: true, credentials: { apiKey: currentKey } });
    } finally {
      realm.stripAuthorization = false;
    }
  });

  it('opening the popup checks quietly an account last checked over an hour ago, and finds the key revoked', async () => {
    await popup.close();
    currentKey = regenerateApiKey(realm.realm!, IAGO.email);
    // As if the popup were opened two hours after the last check. The harness only reads storage;
    // the realm page's content script can write it (as any of the extension's content scripts can).
    await browser.runInContentScript(
      `${realm.url}/`,
      async (key: string, checkedAt: number) => {
        const world = globalThis as unknown as { browser?: StorageWorld; chrome: StorageWorld };
        const { local } = (world.browser ?? world.chrome).storage;
        // The realm's item holds its accounts (account-store.ts, schema 3); it has one here.
        const realm = (await local.get(key))[key] as { accounts: Array<Record<string, unknown>> };
        await local.set({ [key]: { ...realm, accounts: realm.accounts.map((account) => ({ ...account, checkedAt })) } });
      },
      `account:${realm.url}`,
      Date.now() - 2 * HOUR,
    );
    const before = usersMeRequests();
    popup = await browser.openToolbarPopup();
    await popup.waitForButton(SIGN_IN_AGAIN_IAGO);
    await popup.waitForText(KEY_REFUSED);
    expect(usersMeRequests()).toBe(before + 1);
    expect(await credentials()).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
    await reopenPopup();
    await popup.waitForButton(SIGN_IN_AGAIN_IAGO);
    expect(usersMeRequests()).toBe(before + 1);
  });

  it('a deactivated organization gets its own message', async () => {
    await popup.clickButton(SIGN_IN_AGAIN_IAGO);
    await popup.fillByLabel('Password', IAGO.password);
    await popup.clickButton('Log in');
    await popup.waitForButton(CHECK_IAGO);
    setRealmDeactivated(realm.realm!, true);
    try {
      await popup.clickButton(CHECK_IAGO);
      await popup.waitForButton(SIGN_IN_AGAIN_IAGO);
      await popup.waitForText('This organization has been deactivated.');
      expect(await popup.textOf('.refusal p')).toBe('This organization has been deactivated.');
      expect(await credentials()).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS', message: 'This organization has been deactivated.' } });
    } finally {
      setRealmDeactivated(realm.realm!, false);
    }
  });

  it('logged no key, and no error', () => {
    const lines = browser.consoleMessages();
    // Chromium logs the realm page's own /favicon.ico, which the fake server does not have, as a 404.
    expect(realm.requests.some((request) => request.path === '/favicon.ico') || kind === 'firefox').toBe(true);
    const errors = lines.filter((line) => /^(error|pageerror)\b/.test(line) && !line.includes('status of 404 (Not Found)'));
    expect(errors).toEqual([]);
    const console = lines.join('\n');
    expect(console).not.toContain(IAGO.apiKey);
    expect(console).not.toContain(currentKey);
    expect(console).not.toContain(IAGO.password);
  });
});
