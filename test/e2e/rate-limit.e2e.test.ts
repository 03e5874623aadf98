// The per-tab limit on content scripts' requests, in real Chromium and Firefox: 60 a minute per
// tab, RATE_LIMITED beyond, other tabs unaffected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoRealm, IAGO } from '../fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { BROWSER_KINDS, launchExtensionBrowser, type ExtensionBrowser } from './harness/extension-browser';

// What the functions below find in the content script's isolated world (they run there, as source text).
interface KeyringWorld {
  keyringForZulip: { getCredentials(realm?: string): Promise<{ ok: boolean; error?: { code: string; message: string; retryAt?: number } }> };
}

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let browser: ExtensionBrowser;
  let realm: FakeZulipServer;

  beforeAll(async () => {
    realm = await startFakeZulip({ realm: createDemoRealm() });
    browser = await launchExtensionBrowser(kind);
    const popup = await browser.openToolbarPopup();
    try {
      await popup.clickButton('Add account');
      await popup.fillByLabel('Server URL', realm.url);
      await popup.clickButton('Continue');
      await popup.waitForText('Zulip Dev');
      await popup.fillByLabel('Email', IAGO.email);
      await popup.fillByLabel('Password', IAGO.password);
      await popup.clickButton('Log in');
      await popup.waitForButton(`Remove ${IAGO.email} from Zulip Dev`);
    } finally {
      await popup.close();
    }
  });

  afterAll(async () => {
    await browser?.close();
    await realm?.close();
  });

  /** Asks `times` times in a row from the tab showing `page`; the outcome of each, in order. */
  const askRepeatedly = (page: string, times: number) =>
    browser.runInContentScript(
      page,
      async (count: number) => {
        const outcomes: Array<{ ok: boolean; code?: string; message?: string; retryAt?: number; askedAt: number }> = [];
        for (let request = 0; request < count; request++) {
          const askedAt = Date.now();
          const reply = await (globalThis as unknown as KeyringWorld).keyringForZulip.getCredentials();
          outcomes.push({ ok: reply.ok, code: reply.error?.code, message: reply.error?.message, retryAt: reply.error?.retryAt, askedAt });
        }
        return outcomes;
      },
      times,
    );

  it('answers a tab 60 times in a minute and refuses the 61st with RATE_LIMITED, saying when to ask again', async () => {
    const page = `${realm.url}/`;
    await browser.openPage(page);
    const outcomes = await askRepeatedly(page, 61);
    expect(outcomes.slice(0, 60).every((outcome) => outcome.ok)).toBe(true);
    const last = outcomes[60]!;
    expect(last).toMatchObject({ ok: false, code: 'RATE_LIMITED', message: expect.stringMatching(/^This tab asked for credentials more than 60 times in a minute\. It may ask again in \d+ seconds\.$/) });
    // A minute after the first of the 60, and no earlier.
    expect(last.retryAt).toBeGreaterThanOrEqual(outcomes[0]!.askedAt + 60_000);
    expect(last.retryAt).toBeLessThanOrEqual(outcomes[1]!.askedAt + 60_000);
  });

  it('another tab on the same organization is still answered', async () => {
    const other = `${realm.url}/?second-tab`;
    await browser.openPage(other);
    const [outcome] = await askRepeatedly(other, 1);
    expect(outcome).toMatchObject({ ok: true });
  });

  it('the count lives in the background\'s memory: a restarted background starts afresh', async () => {
    const page = `${realm.url}/`;
    expect(await askRepeatedly(page, 1)).toMatchObject([{ ok: false, code: 'RATE_LIMITED' }]);
    await browser.stopBackground();
    expect(await askRepeatedly(page, 1)).toMatchObject([{ ok: true }]);
  });
});
