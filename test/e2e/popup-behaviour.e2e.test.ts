// What the popup's behaviour relies on, in the real toolbar popup of Chromium and Firefox: a Log in
// under way when the popup closes finishes in the background and the next popup shows it; an
// account's Download zuliprc and Show API key have room between them; runtime.getContexts shows the
// background the open popup (popup-return.ts then leaves it to carry on).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdAnswer } from '../fake-zulip/held-answer';
import { createDemoRealm, DESDEMONA, IAGO } from '../fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { BROWSER_KINDS, launchExtensionBrowser, type ExtensionBrowser, type ToolbarPopupDriver } from './harness/extension-browser';
import { pollUntil } from './harness/util';
import { addAccountWithPassword } from './harness/popup-steps';

interface ContextsWorld {
  runtime: { getContexts(filter: Record<string, never>): Promise<Array<{ documentUrl?: string }>> };
}

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let browser: ExtensionBrowser;
  let realm: FakeZulipServer;
  let popup: ToolbarPopupDriver;

  beforeAll(async () => {
    realm = await startFakeZulip({ realm: createDemoRealm() });
    browser = await launchExtensionBrowser(kind);
    popup = await browser.openToolbarPopup();
  });

  afterAll(async () => {
    await browser?.close();
    await realm?.close();
  });

  it('a Log in under way when the popup closes finishes, and the next popup says so', async () => {
    const held = holdAnswer(realm, '/api/v1/fetch_api_key');
    await addAccountWithPassword(popup, realm.url, DESDEMONA);
    await pollUntil(async () => (held.arrived() ? true : undefined), 10_000, 'the sign-in at the server');
    await popup.close();
    held.release();
    await pollUntil(async () => (held.answered() ? true : undefined), 10_000, 'the answer');
    popup = await browser.openToolbarPopup();
    await popup.waitForText(`Signed in to Zulip Dev as ${DESDEMONA.email}.`);
    await popup.waitForButton(`Remove ${DESDEMONA.email} from Zulip Dev`);
  });

  it("an account's Download zuliprc and Show API key do not touch", async () => {
    await addAccountWithPassword(popup, realm.url, IAGO);
    await popup.waitForText(`Signed in to Zulip Dev as ${IAGO.email}.`);
    const [download, show] = await popup.evaluate(() =>
      [...document.querySelectorAll('.account-tools button')].map((button) => {
        const { left, right, top, bottom } = button.getBoundingClientRect();
        return { left, right, top, bottom };
      }),
    );
    expect(download && show).toBeTruthy();
    const sameRow = show!.top < download!.bottom;
    if (sameRow) expect(show!.left - download!.right).toBeGreaterThanOrEqual(8);
    else expect(show!.top - download!.bottom).toBeGreaterThanOrEqual(8);
  });

  it('runtime.getContexts lists the open popup page by its URL', async () => {
    const urls = await popup.evaluate(async () => {
      const world = globalThis as unknown as { browser?: ContextsWorld; chrome: ContextsWorld };
      return (await (world.browser ?? world.chrome).runtime.getContexts({})).map((context) => context.documentUrl ?? '');
    });
    expect(urls).toContain(`${browser.extensionOrigin}/src/popup/popup.html`);
  });
});
