// A person (or a password manager) types as soon as the real toolbar popup appears, before it has loaded what it
// shows (lock state, accounts, draft): what they typed must be kept, never lost or overwritten. The popup keeps keys
// typed before its first view exists and hands them to the field that view focuses (src/popup/type-ahead.ts).
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createDemoRealm, IAGO } from '../fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { BROWSER_KINDS, launchExtensionBrowser, type ExtensionBrowser } from './harness/extension-browser';
import { addAccountWithPassword } from './harness/popup-steps';

const PASSPHRASE = 'correct horse battery staple';
const REMOVE_IAGO = `Remove ${IAGO.email} from Zulip Dev`;

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let browser: ExtensionBrowser;
  let realm: FakeZulipServer;

  beforeAll(async () => {
    realm = await startFakeZulip({ realm: createDemoRealm() });
    browser = await launchExtensionBrowser(kind);
    const popup = await browser.openToolbarPopup();
    await addAccountWithPassword(popup, realm.url, IAGO);
    await popup.waitForButton(REMOVE_IAGO);
    await popup.clickButton('Settings');
    await popup.fillByLabel('Passphrase', PASSPHRASE);
    await popup.fillByLabel('Confirm passphrase', PASSPHRASE);
    await popup.clickButton('Require a passphrase');
    await popup.clickButton('Lock now');
    await popup.waitForButton('Unlock');
    await popup.close();
  });
  afterAll(async () => {
    await browser?.close();
    await realm?.close();
  });

  it('a passphrase typed the moment the locked popup opens unlocks it', async () => {
    // The background is stopped, so the popup's first question (is it locked?) has to start it: the answer comes late.
    await browser.stopBackground();
    const popup = await browser.openToolbarPopup({ rendered: false });
    try {
      await popup.typeText(PASSPHRASE);
      await popup.pressKey('Enter');
      await popup.waitForButton(REMOVE_IAGO);
    } finally {
      await popup.close();
    }
  });
});
