// Every view of the real toolbar popup, in both browsers, at its natural size: no horizontal scroll, nothing reaching
// past its sides, within the browsers' 800x600 limit, and not clipped (content taller than the popup is allowed only
// once the popup is at the 600 px limit, where it scrolls inside and the harness scrolls to what it clicks); the
// tallest views (many organizations, Settings) are walked with Tab to every control. A screenshot of each view goes
// to artifacts/screenshots/<browser>/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoRealm, GITHUB_AUTH_METHOD, GOOGLE_AUTH_METHOD, IAGO } from '../fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { startFakeIdentityProvider, type FakeIdentityProvider } from '../fake-zulip/identity-provider';
import { BROWSER_KINDS, launchExtensionBrowser, type ExtensionBrowser, type ToolbarPopupDriver } from './harness/extension-browser';

const SCREENSHOTS = join('artifacts', 'screenshots');
/** The most either browser shows of a toolbar popup. */
const MAX_WIDTH = 800;
const MAX_HEIGHT = 600;
/** Layout rounds sub-pixel heights: a document 1 px taller than its viewport is not clipped. */
const ROUNDING = 1;
const PASSPHRASE = 'correct horse battery staple';

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let browser: ExtensionBrowser;
  let idp: FakeIdentityProvider;
  let ssoRealm: FakeZulipServer;
  let devServer: FakeZulipServer;
  /** Organizations to fill the accounts list. */
  let others: FakeZulipServer[] = [];
  let popup: ToolbarPopupDriver;

  beforeAll(async () => {
    mkdirSync(join(SCREENSHOTS, kind), { recursive: true });
    idp = await startFakeIdentityProvider({ host: 'localhost', identities: [IAGO.email] });
    ssoRealm = await startFakeZulip({
      realm: createDemoRealm({ externalAuthenticationMethods: [GOOGLE_AUTH_METHOD, GITHUB_AUTH_METHOD], sso: { identityProvider: idp.url } }),
    });
    devServer = await startFakeZulip({ realm: createDemoRealm({ name: 'Dev Server', devAuthEnabled: true }) });
    others = await Promise.all(
      ['Lorem Ipsum Research Cooperative of Greater Springfield', 'Chat', 'Team Beta', 'Gamma Labs'].map((name) => startFakeZulip({ realm: createDemoRealm({ name }) })),
    );
    browser = await launchExtensionBrowser(kind);
    popup = await browser.openToolbarPopup();
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([idp?.close(), ssoRealm?.close(), devServer?.close(), ...others.map((server) => server.close())]);
  });

  /** Measures the view on show, checks it fits, and keeps its screenshot. */
  async function expectFits(view: string): Promise<void> {
    const size = await popup.measure();
    const where = `${view} measured ${JSON.stringify(size)}`;
    expect(size.width, where).toBeLessThanOrEqual(MAX_WIDTH);
    expect(size.height, where).toBeLessThanOrEqual(MAX_HEIGHT);
    expect(size.scrollWidth, where).toBeLessThanOrEqual(size.width);
    expect(size.outsideHorizontally, where).toEqual([]);
    if (size.scrollHeight > size.height + ROUNDING) expect(size.height, `${where}: taller content but the popup is not at its limit (clipped)`).toBeGreaterThanOrEqual(MAX_HEIGHT - ROUNDING);
    // The popup as it shows, not the whole body: a taller view is seen scrolled.
    await popup.screenshot(join(SCREENSHOTS, kind, `${view}.png`));
  }

  /** From the accounts list, or from the server step when `fromList` is false. */
  /**
   * Every visible, enabled control is reached by Tab alone: each press marks what has focus, and afterwards none is
   * left unmarked. Tab may leave the popup after its last control, hence the extra presses.
   */
  async function expectKeyboardReachable(view: string): Promise<void> {
    const controls = await popup.evaluate(() => document.querySelectorAll('button:not(:disabled), input:not(:disabled), textarea, select, a[href]').length);
    for (let press = 0; press < controls + 2; press++) {
      await popup.pressKey('Tab');
      await popup.evaluate(() => document.activeElement?.setAttribute('data-tab-reached', ''));
    }
    const unreached = await popup.evaluate(() =>
      [...document.querySelectorAll('button:not(:disabled), input:not(:disabled), textarea, select, a[href]')]
        .filter((el) => el.getClientRects().length > 0 && !el.hasAttribute('data-tab-reached'))
        .map((el) => el.getAttribute('aria-label') ?? el.textContent ?? el.outerHTML.slice(0, 60)),
    );
    expect(unreached, `${view}: not reached by Tab`).toEqual([]);
  }

  async function signIn(server: FakeZulipServer, name: string, fromList: boolean): Promise<void> {
    if (fromList) await popup.clickButton('Add account');
    await popup.fillByLabel('Server URL', server.url);
    await popup.clickButton('Continue');
    await popup.waitForText(name);
    await popup.fillByLabel('Email', IAGO.email);
    await popup.fillByLabel('Password', IAGO.password);
    await popup.clickButton('Log in');
    await popup.waitForButton(`Remove ${IAGO.email} from ${name}`);
  }

  it('the empty list', async () => {
    await popup.waitForButton('Add account');
    await expectFits('empty');
  });

  it('the server step, with an error', async () => {
    await popup.clickButton('Add account');
    await expectFits('server-step');
    await popup.fillByLabel('Server URL', 'iago@zulip.com');
    await popup.clickButton('Continue');
    await popup.waitForText('Please enter the server URL, not your email.');
    await expectFits('server-step-error');
  });

  it('the sign-in step with single sign-on buttons, a wrong password, and the API key form', async () => {
    await popup.fillByLabel('Server URL', ssoRealm.url);
    await popup.clickButton('Continue');
    await popup.waitForButton('Log in with GitHub');
    await expectFits('sign-in-sso');
    await popup.fillByLabel('Email', IAGO.email);
    await popup.fillByLabel('Password', 'not-the-password');
    await popup.clickButton('Log in');
    await popup.waitForText('Your email or password is incorrect.');
    await expectFits('sign-in-wrong-password');
    await popup.clickButton('Use an API key instead');
    await popup.waitForButton('Add account');
    await expectFits('api-key-form');
  });

  it("a development server's sign-in", async () => {
    await popup.clickButton('Back');
    await popup.fillByLabel('Server URL', devServer.url);
    await popup.clickButton('Continue');
    await popup.waitForButton('Log in as desdemona@zulip.com');
    await expectFits('dev-sign-in');
    await popup.clickButton('Back');
    await popup.waitForButton('Continue');
  });

  it('the accounts list with many organizations, the API key shown and the removal confirmed', async () => {
    for (const [index, server] of others.entries()) await signIn(server, server.realm!.name, index > 0);
    await expectFits('accounts-many');
    await expectKeyboardReachable('accounts-many');
    const last = others[others.length - 1]!.realm!.name;
    await popup.clickButton(`Show API key for ${IAGO.email} on ${last}`);
    await popup.waitForButton('Hide API key');
    await expectFits('api-key-shown');
    await popup.clickButton('Hide API key');
    await popup.clickButton(`Remove ${IAGO.email} from ${last}`);
    await popup.waitForButton('Remove account');
    await expectFits('confirm-remove-many');
    await popup.clickButton('Cancel');
  });

  it('Settings, the lock turned on, and the unlock form', async () => {
    await popup.clickButton('Settings');
    await popup.waitForText('If you forget the passphrase, nobody can recover it');
    await expectFits('settings');
    await expectKeyboardReachable('settings');
    await popup.fillByLabel('Passphrase', PASSPHRASE);
    await popup.fillByLabel('Confirm passphrase', PASSPHRASE);
    await popup.clickButton('Require a passphrase');
    await popup.waitForButton('Lock now');
    await expectFits('settings-locked');
    await popup.clickButton('Lock now');
    await popup.waitForButton('Unlock');
    await expectFits('unlock');
  });
});
