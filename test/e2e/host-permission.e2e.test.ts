// The product build in real Firefox: no host is held at install, and Continue asks for exactly
// the one origin typed. Firefox's prompt is answered by the pref extensions.webextOptionalPermissionPrompts
// (false = allow); headless Chromium cannot answer a prompt at all, which is why its tests use the
// test build (see README).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoRealm, IAGO } from '../fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { launchExtensionBrowser, type ExtensionBrowser, type PageDriver } from './harness/extension-browser';

describe('firefox, product build', () => {
  let browser: ExtensionBrowser;
  let realm: FakeZulipServer;
  let popup: PageDriver;

  beforeAll(async () => {
    realm = await startFakeZulip({ realm: createDemoRealm() });
    browser = await launchExtensionBrowser('firefox', { distDir: join('dist', 'firefox') });
    popup = await browser.openPopup();
  });
  afterAll(async () => {
    await browser?.close();
    await realm?.close();
  });

  const grantedOrigins = () =>
    popup.evaluate(async () => {
      const api = (globalThis as unknown as { browser: { permissions: { getAll(): Promise<{ origins?: string[] }> } } }).browser;
      return (await api.permissions.getAll()).origins ?? [];
    });

  it('holds no host at install', async () => {
    expect(await grantedOrigins()).toEqual([]);
  });

  it('asks for the realm\'s origin from the click on Continue, and signs in', async () => {
    await popup.clickButton('Add account');
    await popup.fillByLabel('Server URL', realm.url);
    await popup.clickButton('Continue');
    await popup.waitForText('Zulip Dev');
    expect(await grantedOrigins()).toEqual(['http://127.0.0.1/*']);
    await popup.fillByLabel('Email', IAGO.email);
    await popup.fillByLabel('Password', IAGO.password);
    await popup.clickButton('Log in');
    await popup.waitForButton('Remove iago@zulip.com from Zulip Dev');
  });
});
