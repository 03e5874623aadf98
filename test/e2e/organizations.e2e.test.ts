// How the popup adapts to the organization, in real Chromium and Firefox: SSO-only and LDAP
// organizations, old servers, and a sign-in that takes a while.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDemoRealm, IAGO } from '../fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { BROWSER_KINDS, launchExtensionBrowser, type ExtensionBrowser, type ToolbarPopupDriver } from './harness/extension-browser';

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let browser: ExtensionBrowser;
  let realm: FakeZulipServer;
  let popup: ToolbarPopupDriver;

  beforeAll(async () => {
    realm = await startFakeZulip({ realm: createDemoRealm() });
    browser = await launchExtensionBrowser(kind);
  });
  afterAll(async () => {
    await browser?.close();
    await realm?.close();
  });
  // The popup resumes an unfinished sign-in when reopened; each test starts from none.
  beforeEach(async () => {
    if (popup) {
      await popup.evaluate(() => (globalThis as unknown as { chrome: { storage: { session: { clear(): Promise<void> } } } }).chrome.storage.session.clear());
      await popup.close();
    }
    popup = await browser.openToolbarPopup();
  });

  async function continueTo(name: string): Promise<void> {
    await popup.clickButton('Add account');
    await popup.fillByLabel('Server URL', realm.url);
    await popup.clickButton('Continue');
    await popup.waitForText(name);
  }

  it('an organization without password sign-in offers only its single sign-on buttons, the first one focused', async () => {
    realm.realm = createDemoRealm({
      name: 'SSO Org',
      emailAuthEnabled: false,
      externalAuthenticationMethods: [
        { name: 'google', display_name: 'Google', display_icon: null, login_url: '/accounts/login/social/google', signup_url: '/accounts/register/social/google' },
        { name: 'github', display_name: 'GitHub', display_icon: null, login_url: '/accounts/login/social/github', signup_url: '/accounts/register/social/github' },
      ],
    });
    await continueTo('SSO Org');
    await popup.waitForButton('Log in with Google');
    await popup.waitForButton('Log in with GitHub');
    await popup.waitForButton('Back');
    expect(await popup.focusedElementName()).toBe('Log in with Google');
    expect(await popup.evaluate(() => document.querySelectorAll('input').length)).toBe(0);
  });

  it('an organization with neither password nor single sign-on says so, and offers a pasted API key', async () => {
    realm.realm = createDemoRealm({ name: 'Closed Org', emailAuthEnabled: false });
    await continueTo('Closed Org');
    await popup.waitForText(
      'Closed Org offers no way of signing in that this extension can automate: neither a password nor single sign-on. You can still add your account with its API key.',
    );
    await popup.waitForButton('Use an API key instead');
    expect(await popup.focusedElementName()).toBe('Back');
  });

  it('an LDAP organization asks for a Username and stores the email the server returns', async () => {
    realm.realm = createDemoRealm({ name: 'LDAP Org', emailAuthEnabled: false, ldapEnabled: true, users: [{ ...IAGO, ldapUsername: 'iago' }] });
    await continueTo('LDAP Org');
    await popup.fillByLabel('Username', 'iago');
    await popup.fillByLabel('Password', IAGO.password);
    await popup.clickButton('Log in');
    await popup.waitForButton(`Remove ${IAGO.email} from LDAP Org`);
    await popup.clickButton(`Remove ${IAGO.email} from LDAP Org`);
    await popup.clickButton('Remove account');
    await popup.waitForText(`Removed ${IAGO.email} from LDAP Org.`);
  });

  it('signs in to a Zulip 6.0 server, which has no realm_url and no user_id', async () => {
    realm.realm = createDemoRealm({ name: 'Old Org', featureLevel: 156, zulipVersion: '6.0' });
    await continueTo('Old Org');
    await popup.waitForText('Zulip 6.0');
    await popup.fillByLabel('Email', IAGO.email);
    await popup.fillByLabel('Password', IAGO.password);
    await popup.clickButton('Log in');
    await popup.waitForButton(`Remove ${IAGO.email} from Old Org`);
    const reply = await popup.evaluate(async () => {
      const api = (globalThis as unknown as { chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } } }).chrome;
      return api.runtime.sendMessage({ type: 'accounts.list' });
    });
    expect(reply).toMatchObject({ ok: true, accounts: [{ email: IAGO.email, userId: IAGO.userId, featureLevel: 156, zulipVersion: '6.0' }] });
    await popup.clickButton(`Remove ${IAGO.email} from Old Org`);
    await popup.clickButton('Remove account');
    await popup.waitForText(`Removed ${IAGO.email} from Old Org.`);
  });

  it('while signing in, Log in shows progress and cannot be pressed again', async () => {
    realm.realm = createDemoRealm();
    let answer: (() => void) | undefined;
    realm.override('/api/v1/fetch_api_key', (_request, response) => {
      answer = () => {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ result: 'success', msg: '', api_key: IAGO.apiKey, email: IAGO.email, user_id: IAGO.userId }));
      };
    });
    try {
      await continueTo('Zulip Dev');
      await popup.fillByLabel('Email', IAGO.email);
      await popup.fillByLabel('Password', IAGO.password);
      const keyRequests = () => realm.requests.filter((r) => r.path === '/api/v1/fetch_api_key').length;
      const before = keyRequests();
      await popup.clickButton('Log in');
      await popup.waitForButton('Logging in…');
      expect(await popup.isButtonDisabled('Logging in…')).toBe(true);
      expect(await popup.evaluate(() => document.querySelector('[aria-busy="true"]') !== null)).toBe(true);
      // Enter in a field submits the form again, the way an impatient person would.
      await popup.evaluate(() => (document.querySelector('input[type="email"]') as HTMLInputElement).focus());
      await popup.pressKey('Enter');
      await popup.pressKey('Enter');
      expect(keyRequests() - before).toBe(1);
      answer?.();
      await popup.waitForButton(`Remove ${IAGO.email} from Zulip Dev`);
      expect(keyRequests() - before).toBe(1);
    } finally {
      realm.override('/api/v1/fetch_api_key', null);
    }
  });
});
