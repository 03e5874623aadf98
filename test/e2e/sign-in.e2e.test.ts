// The whole path a person takes, in real Chromium and real Firefox, on the built test extension,
// against the fake Zulip server over real HTTP, in the real toolbar popup (the test build holds the
// loopback hosts, so no permission prompt comes; host-permission.e2e.test.ts answers Firefox's).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoRealm, IAGO } from '../fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { startPlainWebsite } from './plain-website';
import { BROWSER_KINDS, launchExtensionBrowser, type ExtensionBrowser, type ToolbarPopupDriver } from './harness/extension-browser';

const SCREENSHOTS = join('artifacts', 'screenshots');

// What the functions below find in the content script's isolated world (they run there, as source text).
interface KeyringWorld {
  keyringForZulip: { getCredentials(realm?: string): Promise<unknown> };
}
interface StorageWorld {
  storage: { local: { get(keys: null): Promise<Record<string, unknown>> } };
}
interface WritableStorageWorld {
  storage: { local: StorageWorld['storage']['local'] & { set(items: Record<string, unknown>): Promise<void>; remove(key: string): Promise<void> } };
}
const REMOVE_IAGO = 'Remove iago@zulip.com from Zulip Dev';

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let browser: ExtensionBrowser;
  let realm: FakeZulipServer;
  let otherRealm: FakeZulipServer;
  let popup: ToolbarPopupDriver;
  const shot = (name: string) => popup.screenshot(join(SCREENSHOTS, kind, `${name}.png`), 'body');

  beforeAll(async () => {
    mkdirSync(join(SCREENSHOTS, kind), { recursive: true });
    realm = await startFakeZulip({ realm: createDemoRealm() });
    otherRealm = await startFakeZulip({ realm: createDemoRealm({ name: 'Other Org' }) });
    browser = await launchExtensionBrowser(kind);
    popup = await browser.openToolbarPopup();
  });

  afterAll(async () => {
    await browser?.close();
    await realm?.close();
    await otherRealm?.close();
  });

  const accountKeys = async () => Object.keys(await browser.readStorageLocal()).filter((key) => key.startsWith('account:'));

  it('opens on an empty state that says what the extension does', async () => {
    await popup.waitForButton('Add account');
    await popup.waitForText(/sign.*in.*Zulip/i);
    await shot('empty');
  });

  it('explains a server URL it refuses, before contacting anything', async () => {
    await popup.clickButton('Add account');
    await popup.fillByLabel('Server URL', 'iago@zulip.com');
    await popup.clickButton('Continue');
    await popup.waitForText('Please enter the server URL, not your email.');
    expect(await popup.textOf('[role="alert"]')).toContain('Please enter the server URL, not your email.');
    await popup.fillByLabel('Server URL', 'http://chat.example.com');
    await popup.clickButton('Continue');
    await popup.waitForText('Plain http:// is allowed only for a server on this computer');
    expect(realm.requests).toHaveLength(0);
  });

  it('says when an address is not a Zulip server, and when nothing answers there', async () => {
    const notZulip = await startPlainWebsite();
    const closedPort = await startPlainWebsite();
    await closedPort.close();
    try {
      await popup.fillByLabel('Server URL', notZulip.url);
      await popup.clickButton('Continue');
      await popup.waitForText(`${notZulip.url} does not look like a Zulip server`);
      await popup.fillByLabel('Server URL', closedPort.url);
      await popup.clickButton('Continue');
      await popup.waitForText(`Could not connect to ${closedPort.url}.`);
      expect(await popup.textOf('[role="alert"]')).toContain(`Could not connect to ${closedPort.url}.`);
    } finally {
      await notZulip.close();
    }
  });

  it('a wrong password shows its message, keeps the email, empties the password and stores nothing', async () => {
    await popup.fillByLabel('Server URL', realm.url);
    await popup.clickButton('Continue');
    await popup.waitForText('Zulip Dev');
    await popup.waitForText('Zulip 10.0');
    await shot('sign-in-form');
    await popup.fillByLabel('Email', IAGO.email);
    await popup.fillByLabel('Password', 'not-the-password');
    await popup.clickButton('Log in');
    await popup.waitForText('Your email or password is incorrect.');
    expect(await popup.textOf('[role="alert"]')).toContain('Your email or password is incorrect.');
    expect(await popup.inputValue('Email')).toBe(IAGO.email);
    expect(await popup.inputValue('Password')).toBe('');
    expect(await accountKeys()).toEqual([]);
    await shot('wrong-password');
  });

  it('signs in through the popup and lists the account', async () => {
    await popup.fillByLabel('Password', IAGO.password);
    await popup.clickButton('Log in');
    await popup.waitForButton(REMOVE_IAGO);
    await popup.waitForText(IAGO.email);
    await popup.waitForText('Zulip Dev');
    expect(await accountKeys()).toEqual([`account:${realm.url}`]);
    await shot('accounts');
  });

  it('keeps the key sealed: a content script reading storage.local finds no usable key', async () => {
    await browser.openPage(`${realm.url}/`);
    const stored = await browser.runInContentScript(`${realm.url}/`, async () => {
      const world = globalThis as unknown as { browser?: StorageWorld; chrome: StorageWorld };
      return JSON.stringify(await (world.browser ?? world.chrome).storage.local.get(null));
    });
    expect(stored).toContain(`account:${realm.url}`);
    expect(stored).not.toContain(IAGO.apiKey);
    expect(stored).not.toContain(IAGO.password);
  });

  it('the content script on the realm\'s origin receives the credentials', async () => {
    const reply = await browser.runInContentScript(`${realm.url}/`, () =>
      (globalThis as unknown as KeyringWorld).keyringForZulip.getCredentials(),
    );
    expect(reply).toEqual({ ok: true, credentials: { realm: realm.url, email: IAGO.email, apiKey: IAGO.apiKey, userId: IAGO.userId } });
  });

  it('a content script on another origin gets FORBIDDEN for this realm', async () => {
    // Same host, other port: the registered script runs there too (match patterns have no port), and must get nothing.
    await browser.openPage(`${otherRealm.url}/`);
    const fromOtherPort = await browser.runInContentScript(
      `${otherRealm.url}/`,
      (realmUrl: string) => (globalThis as unknown as KeyringWorld).keyringForZulip.getCredentials(realmUrl),
      realm.url,
    );
    expect(fromOtherPort).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const ownRealm = await browser.runInContentScript(`${otherRealm.url}/`, () =>
      (globalThis as unknown as KeyringWorld).keyringForZulip.getCredentials(),
    );
    expect(ownRealm).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('a content script that copies this realm\'s record under its own realm gets nothing', async () => {
    const planted = await browser.runInContentScript(
      `${otherRealm.url}/`,
      async (victim: string, own: string) => {
        const world = globalThis as unknown as { browser?: WritableStorageWorld; chrome: WritableStorageWorld } & KeyringWorld;
        const { local } = (world.browser ?? world.chrome).storage;
        const record = (await local.get(null))[`account:${victim}`];
        await local.set({ [`account:${own}`]: record });
        return world.keyringForZulip.getCredentials();
      },
      realm.url,
      otherRealm.url,
    );
    expect(planted).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await browser.runInContentScript(`${otherRealm.url}/`, async (own: string) => {
      const world = globalThis as unknown as { browser?: WritableStorageWorld; chrome: WritableStorageWorld };
      await (world.browser ?? world.chrome).storage.local.remove(`account:${own}`);
    }, otherRealm.url);
  });

  it('the account and its key survive the background being stopped', async () => {
    await popup.close();
    await browser.stopBackground();
    popup = await browser.openToolbarPopup();
    await popup.waitForButton(REMOVE_IAGO);
    const reply = await browser.runInContentScript(`${realm.url}/`, () =>
      (globalThis as unknown as KeyringWorld).keyringForZulip.getCredentials(),
    );
    expect(reply).toMatchObject({ ok: true, credentials: { apiKey: IAGO.apiKey } });
  });

  it('follows the system\'s dark scheme', async () => {
    const background = () => popup.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const lightness = (color: string) => (color.match(/\d+/g) ?? []).slice(0, 3).map(Number).reduce((sum, value) => sum + value, 0);
    await popup.emulateColorScheme('dark');
    expect(lightness(await background())).toBeLessThan(200);
    await shot('accounts-dark');
    await popup.emulateColorScheme('light');
    expect(lightness(await background())).toBeGreaterThan(600);
  });

  it('removes the account after confirmation', async () => {
    await popup.clickButton(REMOVE_IAGO);
    await popup.waitForButton('Remove account');
    await shot('confirm-remove');
    await popup.clickButton('Remove account');
    // Add account stays in view at the foot of the list, so it says nothing about the removal; the announcement does.
    await popup.waitForText(`Removed ${IAGO.email} from Zulip Dev.`);
    await popup.waitForButton('Add account');
    expect(await accountKeys()).toEqual([]);
  });

  it('signs in by keyboard alone', async () => {
    await popup.close();
    popup = await browser.openToolbarPopup();
    await popup.waitForButton('Add account');
    await popup.pressKey('Tab');
    for (let presses = 0; presses < 5 && (await popup.focusedElementName()) !== 'Add account'; presses++) await popup.pressKey('Tab');
    expect(await popup.focusedElementName()).toBe('Add account');
    await popup.pressKey('Enter');
    expect(await popup.focusedElementName()).toBe('Server URL');
    await popup.typeText(realm.url);
    await popup.pressKey('Enter');
    await popup.waitForText('Zulip Dev');
    expect(await popup.focusedElementName()).toBe('Email');
    await popup.typeText(IAGO.email);
    await popup.pressKey('Tab');
    expect(await popup.focusedElementName()).toBe('Password');
    await popup.typeText(IAGO.password);
    await popup.pressKey('Enter');
    await popup.waitForButton(REMOVE_IAGO);
    expect(await accountKeys()).toEqual([`account:${realm.url}`]);
  });

  it('left no password anywhere it could persist, and logged neither password nor key', async () => {
    const everything = JSON.stringify(await browser.readStorageLocal());
    expect(everything).not.toContain(IAGO.password);
    expect(everything).not.toContain(IAGO.apiKey);
    const console = browser.consoleMessages().join('\n');
    expect(console).not.toContain(IAGO.password);
    expect(console).not.toContain(IAGO.apiKey);
  });
});
