// A person closes the real toolbar popup mid-way (Escape, a click outside) at each step of adding an account; the next
// open carries on where they were, or shows how it ended. Nothing may live only in the popup's memory.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDemoRealm, GOOGLE_AUTH_METHOD, IAGO } from '../fake-zulip/demo-realm';
import { holdAnswer } from '../fake-zulip/held-answer';
import { startFakeZulip, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { startFakeIdentityProvider, type FakeIdentityProvider } from '../fake-zulip/identity-provider';
import { BROWSER_KINDS, POPUP_DISMISSALS, launchExtensionBrowser, type ExtensionBrowser, type ToolbarPopupDriver } from './harness/extension-browser';
import { pollUntil } from './harness/util';

const FETCH_API_KEY = '/api/v1/fetch_api_key';
const REMOVE_IAGO = `Remove ${IAGO.email} from Zulip Dev`;

interface SessionWorld {
  storage: { session: { remove(key: string): Promise<void> }; local: { remove(key: string): Promise<void> } };
}

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let browser: ExtensionBrowser;
  let realm: FakeZulipServer;
  let idp: FakeIdentityProvider;

  beforeAll(async () => {
    idp = await startFakeIdentityProvider({ host: 'localhost', identities: [IAGO.email] });
    realm = await startFakeZulip({ realm: createDemoRealm({ externalAuthenticationMethods: [GOOGLE_AUTH_METHOD], sso: { identityProvider: idp.url } }) });
    browser = await launchExtensionBrowser(kind);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([realm?.close(), idp?.close()]);
  });

  /** The popup each case opened first, closed after it if a failure left it open (one popup at a time). */
  let first: ToolbarPopupDriver | undefined;
  afterEach(async () => {
    await first?.close().catch(() => undefined);
    first = undefined;
  });

  // Each case starts from the list: no unfinished sign-in, no account.
  beforeEach(async () => {
    await browser.evaluateInExtensionPage(async (account: string) => {
      const world = globalThis as unknown as { browser?: SessionWorld; chrome?: SessionWorld };
      const api = (world.browser ?? world.chrome)!;
      await api.storage.session.remove('popupDraft');
      await api.storage.local.remove(account);
    }, `account:${realm.url}`);
  });

  const toOrganization = async (popup: ToolbarPopupDriver) => {
    await popup.clickButton('Add account');
    await popup.fillByLabel('Server URL', realm.url);
    await popup.clickButton('Continue');
    await popup.waitForText('Zulip Dev');
  };
  const stored = async () => (await browser.readStorageLocal())[`account:${realm.url}`];

  describe.each(POPUP_DISMISSALS[kind])('closed by %s', (how) => {
    it('with the server URL typed: the next open has it in the field', async () => {
      const popup = (first = await browser.openToolbarPopup());
      await popup.clickButton('Add account');
      await popup.fillByLabel('Server URL', realm.url);
      await popup.dismiss(how);
      const again = await browser.openToolbarPopup();
      try {
        expect(await again.inputValue('Server URL')).toBe(realm.url);
      } finally {
        await again.close();
      }
    });

    it('with the organization shown and the email typed: the next open shows both, and an empty password', async () => {
      const popup = (first = await browser.openToolbarPopup());
      await toOrganization(popup);
      await popup.fillByLabel('Email', IAGO.email);
      await popup.fillByLabel('Password', IAGO.password);
      await popup.dismiss(how);
      const again = await browser.openToolbarPopup();
      try {
        await again.waitForText('Zulip Dev');
        expect(await again.inputValue('Email')).toBe(IAGO.email);
        expect(await again.inputValue('Password')).toBe('');
      } finally {
        await again.close();
      }
    });

    it('while Log in is in flight: the sign-in still completes, and the next open lists the account', async () => {
      // Zulip's answer is held until the popup is closed, then the request goes on to the server.
      const held = holdAnswer(realm, FETCH_API_KEY);
      try {
        const popup = (first = await browser.openToolbarPopup());
        await toOrganization(popup);
        await popup.fillByLabel('Email', IAGO.email);
        await popup.fillByLabel('Password', IAGO.password);
        await popup.clickButton('Log in');
        await pollUntil(async () => (held.arrived() ? true : undefined), 10_000, 'the sign-in to reach the server');
        await popup.dismiss(how);
      } finally {
        held.release();
      }
      expect(await pollUntil(stored, 10_000, 'the account to be stored')).toMatchObject({ accounts: [{ email: IAGO.email }] });
      const again = await browser.openToolbarPopup();
      try {
        await again.waitForButton(REMOVE_IAGO);
      } finally {
        await again.close();
      }
    });

    it('during single sign-on: the outcome is there at the next open', async () => {
      const popup = (first = await browser.openToolbarPopup());
      await toOrganization(popup);
      await popup.clickButton('Log in with Google');
      const tab = await browser.waitForTab((url) => url.startsWith(`${idp.url}/authorize`));
      // Chromium closed the popup as the provider's tab came to the front.
      if (await popup.isOpen()) await popup.dismiss(how);
      await tab.clickButton(`Continue as ${IAGO.email}`).catch(() => undefined);
      await pollUntil(async () => ((await browser.tabUrls()).some((url) => url.startsWith(idp.url)) ? undefined : true), 10_000, 'the sign-in tab to close');
      const again = await browser.openToolbarPopup();
      try {
        await again.waitForText(`Signed in to Zulip Dev as ${IAGO.email}.`);
        await again.waitForButton(REMOVE_IAGO);
      } finally {
        await again.close();
      }
    });
  });
});
