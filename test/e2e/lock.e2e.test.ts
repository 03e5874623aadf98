// The passphrase lock in real Chromium and real Firefox, driven through the real toolbar popup: turned on from Settings, Lock now
// (the popup asks for the passphrase, a content script gets LOCKED), Unlock (the content script gets its key again),
// locking by the idle alarm after a short idle time, what a stopped background and an emptied storage.session do,
// and that no passphrase is left anywhere the extension can persist or on any console.
//
// A browser restart cannot be done with the harness (it would need the same profile relaunched): it empties
// storage.session, which is what the last test does by hand. Stopping the background (CDP stopWorker, Firefox's
// terminateBackground) keeps storage.session, as a browser's idle stop of the worker does: the lock stays open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoRealm, IAGO } from '../fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { BROWSER_KINDS, launchExtensionBrowser, type ExtensionBrowser, type ToolbarPopupDriver } from './harness/extension-browser';
import { persistedSources, readPersistedState } from './harness/persisted-state';
import { findSecrets } from './harness/secret-scan';
import { pollUntil } from './harness/util';
import { addAccountWithPassword } from './harness/popup-steps';

const PASSPHRASE = 'Tr0ub4dor & 3 horses é';
const WRONG_PASSPHRASE = 'not the passphrase at all';

interface KeyringWorld {
  keyringForZulip: { getCredentials(realm?: string): Promise<unknown> };
}
interface SessionWorld {
  storage: { session: { get(keys: null): Promise<Record<string, unknown>>; clear(): Promise<void> } };
  runtime: { sendMessage(message: unknown): Promise<unknown> };
}

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let browser: ExtensionBrowser;
  let realm: FakeZulipServer;

  beforeAll(async () => {
    realm = await startFakeZulip({ realm: createDemoRealm() });
    browser = await launchExtensionBrowser(kind);
  });
  afterAll(async () => {
    await browser?.close();
    await realm?.close();
  });

  const credentials = async () => {
    const page = await browser.openPage(`${realm.url}/`);
    try {
      return await browser.runInContentScript(`${realm.url}/`, () => (globalThis as unknown as KeyringWorld).keyringForZulip.getCredentials());
    } finally {
      await page.close();
    }
  };
  /** storage.session's keys, read from a quiet extension page: the background is not woken. */
  const sessionKeys = () =>
    browser.evaluateInExtensionPage(async () => {
      const world = globalThis as unknown as { browser?: SessionWorld; chrome: SessionWorld };
      return Object.keys(await (world.browser ?? world.chrome).storage.session.get(null));
    });
  const withPopup = async (work: (popup: ToolbarPopupDriver) => Promise<void>) => {
    const popup = await browser.openToolbarPopup();
    try {
      await work(popup);
    } finally {
      await popup.close();
    }
  };

  it('turns the lock on through the popup, after warning what a forgotten passphrase means', async () => {
    await withPopup(async (popup) => {
      await addAccountWithPassword(popup, realm.url, IAGO);
      await popup.waitForButton(`Remove ${IAGO.email} from Zulip Dev`);

      await popup.clickButton('Settings');
      await popup.waitForText('If you forget the passphrase, nobody can recover it');
      await popup.fillByLabel('Passphrase', PASSPHRASE);
      await popup.fillByLabel('Confirm passphrase', PASSPHRASE);
      await popup.clickButton('Require a passphrase');
      await popup.waitForText('A passphrase is now required.');
      await popup.waitForButton('Lock now');
    });
    expect(await credentials()).toMatchObject({ ok: true, credentials: { apiKey: IAGO.apiKey } });
    // The sealing key is now only on disk wrapped: no CryptoKey is left in IndexedDB.
    const state = await readPersistedState(browser);
    const records = state.indexedDb.flatMap((db) => db.stores.flatMap((store) => store.records.map((r) => r.key)));
    expect(records).toEqual(['wrapped-key']);
  });

  it('Lock now: the popup shows the unlock form instead of the accounts, and a content script gets LOCKED', async () => {
    await withPopup(async (popup) => {
      await popup.clickButton('Settings');
      await popup.clickButton('Lock now');
      await popup.waitForButton('Unlock');
    });
    await withPopup(async (popup) => {
      await popup.waitForButton('Unlock');
      expect(await popup.textOf('main')).not.toContain(IAGO.email);
    });
    expect(await credentials()).toEqual({ ok: false, error: { code: 'LOCKED', message: 'Keyring for Zulip is locked. Open it from the toolbar and enter your passphrase.' } });
  });

  it('Unlock: a wrong passphrase is refused, the right one shows the accounts and the content script gets its key', async () => {
    await withPopup(async (popup) => {
      await popup.fillByLabel('Passphrase', WRONG_PASSPHRASE);
      await popup.clickButton('Unlock');
      await popup.waitForText('That passphrase is not correct.');
      await popup.fillByLabel('Passphrase', PASSPHRASE);
      await popup.clickButton('Unlock');
      await popup.waitForButton(`Remove ${IAGO.email} from Zulip Dev`);
    });
    expect(await credentials()).toMatchObject({ ok: true, credentials: { email: IAGO.email, apiKey: IAGO.apiKey } });
  });

  it('a stopped background keeps the lock open (storage.session outlives it)', async () => {
    await browser.stopBackground();
    expect(await credentials()).toMatchObject({ ok: true, credentials: { apiKey: IAGO.apiKey } });
  });

  it('locks by itself after a short idle time, with nothing asking', async () => {
    await withPopup(async (popup) => {
      // The popup offers minutes; the request takes fractions of one, here 3 seconds.
      const reply = await popup.evaluate(() => {
        const world = globalThis as unknown as { browser?: SessionWorld; chrome: SessionWorld };
        return (world.browser ?? world.chrome).runtime.sendMessage({ type: 'lock.setIdle', idleMinutes: 0.05 });
      });
      expect(reply).toMatchObject({ ok: true, lock: { idleMinutes: 0.05, locked: false } });
    });
    expect(await sessionKeys()).toEqual(expect.arrayContaining(['passphraseLock:key']));
    // The alarm removes the key; only a quiet page looks, so no request could have done it. Chrome may run alarms
    // up to 30 s late.
    await pollUntil(async () => ((await sessionKeys()).includes('passphraseLock:key') ? undefined : true), 60_000, `${kind}: the idle alarm to lock`);
    expect(await credentials()).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    await withPopup(async (popup) => {
      await popup.waitForButton('Unlock');
      await popup.fillByLabel('Passphrase', PASSPHRASE);
      await popup.clickButton('Unlock');
      await popup.waitForButton(`Remove ${IAGO.email} from Zulip Dev`);
      await popup.evaluate(() => {
        const world = globalThis as unknown as { browser?: SessionWorld; chrome: SessionWorld };
        return (world.browser ?? world.chrome).runtime.sendMessage({ type: 'lock.setIdle', idleMinutes: 15 });
      });
    });
  });

  it('storage.session emptied, as a browser restart does: locked', async () => {
    expect(await credentials()).toMatchObject({ ok: true, credentials: { apiKey: IAGO.apiKey } });
    await browser.evaluateInExtensionPage(async () => {
      const world = globalThis as unknown as { browser?: SessionWorld; chrome: SessionWorld };
      await (world.browser ?? world.chrome).storage.session.clear();
    });
    expect(await credentials()).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    await withPopup(async (popup) => {
      await popup.waitForButton('Unlock');
    });
  });

  it('left no passphrase, and no API key in plaintext, anywhere it can persist or on any console', async () => {
    const state = await readPersistedState(browser);
    expect(state.unavailable).toEqual({});
    const sources = { ...persistedSources(state), console: browser.consoleMessages().join('\n') };
    expect(
      findSecrets(sources, [
        { name: 'the passphrase', value: PASSPHRASE },
        { name: 'the wrong passphrase', value: WRONG_PASSPHRASE },
        { name: "Iago's password", value: IAGO.password },
        { name: "Iago's API key", value: IAGO.apiKey },
      ]),
    ).toEqual([]);
  });
});
