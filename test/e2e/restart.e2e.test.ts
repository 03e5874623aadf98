// The background stopped in the middle of a sign-in, in real Chromium and real Firefox: nothing half-written is
// left behind, the popup says plainly to try again, and trying again works.
//
// Where a half-written account could come from: the key is fetched, then (servers before feature level 171) the
// extension asks who signed in, then seals the key, writes the account as one storage.local item (atomic), and only
// then registers the content script for the realm. So the windows are: (1) before the key arrives, (2) after it
// arrived but before the one write, both of which must leave nothing; and (3) between the write and the
// registration, which leaves an account without its script, and is repaired whenever the background starts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import catalogue from '../../public/_locales/en/messages.json' with { type: 'json' };
import { createDemoRealm, DESDEMONA, IAGO } from '../fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { hang } from '../fake-zulip/faults';
import { BROWSER_KINDS, launchExtensionBrowser, type BrowserKind, type ExtensionBrowser, type ToolbarPopupDriver } from './harness/extension-browser';
import { pollUntil } from './harness/util';

const INTERRUPTED = catalogue.error_background_unreachable.message;
const FETCH_API_KEY = '/api/v1/fetch_api_key';
const USERS_ME = '/api/v1/users/me';

// What the functions below find on an extension page or in the content script's world (they run there, as source text).
interface ScriptingWorld {
  scripting: {
    getRegisteredContentScripts(): Promise<{ id: string; matches?: string[] }[]>;
    unregisterContentScripts(): Promise<void>;
  };
}
interface KeyringWorld {
  keyringForZulip: { getCredentials(realm?: string): Promise<unknown> };
}

function waitForRequest(server: FakeZulipServer, path: string, after: number): Promise<true> {
  return pollUntil(async () => (server.requests.slice(after).some((r) => r.path === path) ? true : undefined), 10_000, `a request to ${path}`);
}

/** A spec's worth of sign-ins against one browser; `stop` is how the background gets stopped mid-request. */
function restartScenarios(kind: BrowserKind, setup: () => { browser: ExtensionBrowser; realm: FakeZulipServer }, stop: (browser: ExtensionBrowser) => Promise<void>) {
  const storedKeys = async (browser: ExtensionBrowser) => Object.keys(await browser.readStorageLocal()).sort();
  const registeredMatches = async (browser: ExtensionBrowser) =>
    (
      await browser.evaluateInExtensionPage(() => {
        const world = globalThis as unknown as { browser?: ScriptingWorld; chrome: ScriptingWorld };
        return (world.browser ?? world.chrome).scripting.getRegisteredContentScripts();
      })
    )
      .flatMap((script) => script.matches ?? [])
      .sort();

  /** Presses Log in with the server holding `path` open, stops the background meanwhile, and checks the aftermath. */
  async function interruptedSignIn(popup: ToolbarPopupDriver, server: FakeZulipServer, path: string, user: { email: string; password: string }) {
    const { browser } = setup();
    const before = await storedKeys(browser);
    const scriptsBefore = await registeredMatches(browser);
    server.override(path, hang());
    try {
      await popup.fillByLabel('Email', user.email);
      await popup.fillByLabel('Password', user.password);
      const sent = server.requests.length;
      await popup.clickButton('Log in');
      await waitForRequest(server, path, sent);
      expect(await popup.isButtonDisabled('Logging in…')).toBe(true);
      await stop(browser);
      await popup.waitForText(INTERRUPTED);
    } finally {
      server.override(path, null);
    }
    expect(await popup.textOf('[role="alert"]')).toBe(INTERRUPTED);
    expect(await popup.inputValue('Password')).toBe('');
    expect(await popup.inputValue('Email')).toBe(user.email);
    expect(await popup.isButtonDisabled('Log in')).toBe(false);
    // Not one item more: no account, and no partial record under another name.
    expect(await storedKeys(browser)).toEqual(before);
    expect(await registeredMatches(browser)).toEqual(scriptsBefore);
  }

  async function startAddingAccount(popup: ToolbarPopupDriver, server: FakeZulipServer, realmName: string) {
    await popup.clickButton('Add account');
    await popup.fillByLabel('Server URL', server.url);
    await popup.clickButton('Continue');
    await popup.waitForText(realmName);
    await popup.waitForButton('Log in');
  }

  async function credentialsOnRealmPage(browser: ExtensionBrowser, server: FakeZulipServer) {
    const page = await browser.openPage(`${server.url}/`);
    try {
      return await browser.runInContentScript(`${server.url}/`, () => (globalThis as unknown as KeyringWorld).keyringForZulip.getCredentials());
    } finally {
      await page.close();
    }
  }

  let oldRealm: FakeZulipServer;
  beforeAll(async () => {
    // Before feature level 171 fetch_api_key does not say who signed in: the new key asks users/me, a window after
    // the key was issued and before anything is stored.
    oldRealm = await startFakeZulip({ realm: createDemoRealm({ name: 'Old Org', zulipVersion: '6.2', featureLevel: 170 }) });
  });
  afterAll(async () => {
    await oldRealm?.close();
  });

  it('stopped while the server is asked for the key: nothing stored, a retryable error, and the retry signs in', async () => {
    const { browser, realm } = setup();
    const popup = await browser.openToolbarPopup();
    try {
      await startAddingAccount(popup, realm, 'Zulip Dev');
      await interruptedSignIn(popup, realm, FETCH_API_KEY, IAGO);
      expect(await storedKeys(browser)).toEqual(['schemaVersion']);

      await popup.fillByLabel('Password', IAGO.password);
      await popup.clickButton('Log in');
      await popup.waitForButton(`Remove ${IAGO.email} from Zulip Dev`);
      expect(await storedKeys(browser)).toEqual([`account:${realm.url}`, 'schemaVersion']);
      expect(await credentialsOnRealmPage(browser, realm)).toMatchObject({ ok: true, credentials: { email: IAGO.email, apiKey: IAGO.apiKey } });
    } finally {
      await popup.close();
    }
  });

  it('stopped after the key was issued, while asking who signed in: nothing stored, the retry signs in', async () => {
    const { browser, realm } = setup();
    const popup = await browser.openToolbarPopup();
    try {
      await startAddingAccount(popup, oldRealm, 'Old Org');
      await interruptedSignIn(popup, oldRealm, USERS_ME, DESDEMONA);
      // The key had been issued: the server answered fetch_api_key before users/me was held open.
      expect(oldRealm.requests.some((r) => r.path === FETCH_API_KEY)).toBe(true);
      expect(await storedKeys(browser)).toEqual([`account:${realm.url}`, 'schemaVersion']);

      await popup.fillByLabel('Password', DESDEMONA.password);
      await popup.clickButton('Log in');
      await popup.waitForButton(`Remove ${DESDEMONA.email} from Old Org`);
      expect(await storedKeys(browser)).toEqual([`account:${oldRealm.url}`, `account:${realm.url}`, 'schemaVersion'].sort());
      expect(await credentialsOnRealmPage(browser, oldRealm)).toMatchObject({
        ok: true,
        credentials: { email: DESDEMONA.email, apiKey: DESDEMONA.apiKey, userId: DESDEMONA.userId },
      });
    } finally {
      await popup.close();
    }
  });

  it('an account left without its content script (stopped between the write and the registration) gets it back when the background starts', async () => {
    const { browser, realm } = setup();
    // The third window cannot be hit on purpose (no network call lies inside it); this is the state it leaves.
    await browser.evaluateInExtensionPage(() => {
      const world = globalThis as unknown as { browser?: ScriptingWorld; chrome: ScriptingWorld };
      return (world.browser ?? world.chrome).scripting.unregisterContentScripts();
    });
    expect(await registeredMatches(browser)).toEqual([]);
    await browser.stopBackground();
    // What starts the background: the popup's first message. Its list, the answer, shows the background ran (a popup
    // closed before sending anything would start nothing).
    const popup = await browser.openToolbarPopup();
    await popup.waitForText('Zulip Dev');
    await popup.close();
    // Both realms are on 127.0.0.1 (match patterns carry no port): one script serves both.
    await pollUntil(async () => ((await registeredMatches(browser)).length > 0 ? true : undefined), 10_000, `${kind}: the content script to be restored`);
    expect(await registeredMatches(browser)).toEqual(['http://127.0.0.1/*']);
    expect(await credentialsOnRealmPage(browser, realm)).toMatchObject({ ok: true, credentials: { apiKey: IAGO.apiKey } });
  });

  it('logged no error for any of it', () => {
    const { browser, realm } = setup();
    // Chromium reports the realm pages' favicon.ico, which the fake server does not have, as a failed load.
    const favicons = [...realm.requests, ...oldRealm.requests].filter((r) => r.path === '/favicon.ico').length;
    const errors = browser.consoleMessages().filter((line) => /^(error|pageerror):/.test(line));
    const isMissingFavicon = (line: string) => line === 'error: Failed to load resource: the server responded with a status of 404 (Not Found)';
    expect(errors.filter(isMissingFavicon).length).toBeLessThanOrEqual(favicons);
    expect(errors.filter((line) => !isMissingFavicon(line))).toEqual([]);
  });
}

describe.each(BROWSER_KINDS)('%s, background stopped on purpose', (kind) => {
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
  // Chromium: CDP ServiceWorker.stopWorker, what Chrome does to an idle or overrunning worker. Firefox: the harness
  // calls the event page's terminateBackground(), the very function Firefox's idle timer calls (the real timer is
  // exercised in the block below).
  restartScenarios(kind, () => ({ browser, realm }), (b) => b.stopBackground());
});

// Firefox only: its idle timeout is a preference, so the real timer can be made short enough to strike mid-sign-in.
// (A pending reply postpones it once, then the event page is terminated anyway.) Chromium's is fixed at 30 s, longer
// than any one request of ours (15 s), so there the stop above is the only way in.
describe('firefox, background stopped by its own idle timeout', () => {
  let browser: ExtensionBrowser;
  let realm: FakeZulipServer;
  beforeAll(async () => {
    realm = await startFakeZulip({ realm: createDemoRealm() });
    browser = await launchExtensionBrowser('firefox', { firefoxPrefs: { 'extensions.background.idle.timeout': 1_000 } });
  });
  afterAll(async () => {
    await browser?.close();
    await realm?.close();
  });
  restartScenarios('firefox', () => ({ browser, realm }), async () => {});
});
