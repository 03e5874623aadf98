// Secrets stay secret, in real Chromium and real Firefox: after sign-ins through the popup (a lookup, a wrong
// password, a password typed but not sent, two accounts, one on a server old enough to be asked users/me with the
// new key), a content script fetching its key, and Show API key, Copy API key and Download zuliprc, nothing the extension can persist, nothing on any console and no
// URL the servers saw holds a password, or an API key other than sealed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoRealm, DESDEMONA, IAGO } from '../fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { BROWSER_KINDS, launchExtensionBrowser, type ExtensionBrowser, type ToolbarPopupDriver } from './harness/extension-browser';
import { downloadedFile } from './harness/downloads';
import { persistedSources, readPersistedState, type PersistedState } from './harness/persisted-state';
import { findSecrets, type Finding, type Secret } from './harness/secret-scan';
import { pollUntil } from './harness/util';

// Symbols, a space and a non-ASCII letter, so that its URL, form and JSON encodings all differ from it.
const WRONG_PASSWORD = 'Wr0ng pass/word+&=?é';

const SECRETS: Secret[] = [
  { name: "Iago's password", value: IAGO.password },
  { name: "Desdemona's password", value: DESDEMONA.password },
  { name: 'the wrong password', value: WRONG_PASSWORD },
  { name: "Iago's API key", value: IAGO.apiKey },
  { name: "Desdemona's API key", value: DESDEMONA.apiKey },
];

// What the functions below find on an extension page or in the content script's world (they run there, as source text).
interface ExtensionWorld {
  storage: Record<'local' | 'session' | 'sync', { set(items: Record<string, unknown>): Promise<void>; remove(key: string): Promise<void> }>;
  scripting: {
    registerContentScripts(scripts: { id: string; matches: string[]; js: string[] }[]): Promise<void>;
    getRegisteredContentScripts(): Promise<{ id: string }[]>;
    unregisterContentScripts(filter: { ids: string[] }): Promise<void>;
  };
}
interface KeyringWorld {
  keyringForZulip: { getCredentials(realm?: string): Promise<unknown> };
}

/** What the scan reads: every persisted place, the console output so far, and each URL the servers were asked for. */
function scanSources(state: PersistedState, browser: ExtensionBrowser, servers: FakeZulipServer[]): Record<string, string> {
  return {
    ...persistedSources(state),
    console: browser.consoleMessages().join('\n'),
    'request URLs and referrers': servers
      .flatMap((server) => server.requests.map((r) => `${server.url}${r.path}?${r.query} ${String(r.headers.referer ?? '')}`))
      .join('\n'),
  };
}

/** Plants `canary` in every place the scan reads, each in another encoding (runs on the extension page). */
async function plantCanary(canary: string): Promise<void> {
  const world = globalThis as unknown as { browser?: ExtensionWorld; chrome: ExtensionWorld };
  const api = world.browser ?? world.chrome;
  const utf8 = new TextEncoder().encode(canary);
  const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
  await api.storage.local.set({ canary });
  await api.storage.session.set({ canary: base64(new TextEncoder().encode(`x${canary}`)) });
  await api.storage.sync.set({ canary: Array.from(utf8, (b) => b.toString(16).padStart(2, '0')).join('').toUpperCase() });
  localStorage.setItem('canary', encodeURIComponent(canary));
  await new Promise<void>((resolve, reject) => {
    const open = indexedDB.open('canary', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('things');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('things', 'readwrite');
      tx.objectStore('things').put(utf8.buffer, 'bytes');
      tx.oncomplete = () => {
        open.result.close();
        resolve();
      };
      tx.onerror = () => reject(tx.error);
    };
  });
  const id = `canary ${base64(utf8).replace(/\+/g, '-').replace(/\//g, '_')}`;
  await api.scripting.registerContentScripts([{ id, matches: ['http://127.0.0.1/canary/*'], js: ['content-script.js'] }]);
  console.log(`canary: ${canary}`);
}

async function removeCanary(): Promise<void> {
  const world = globalThis as unknown as { browser?: ExtensionWorld; chrome: ExtensionWorld };
  const api = world.browser ?? world.chrome;
  await Promise.all((['local', 'session', 'sync'] as const).map((area) => api.storage[area].remove('canary')));
  localStorage.removeItem('canary');
  await new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase('canary');
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
  });
  const scripts = await api.scripting.getRegisteredContentScripts();
  await api.scripting.unregisterContentScripts({ ids: scripts.map((s) => s.id).filter((id) => id.startsWith('canary ')) });
}

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let browser: ExtensionBrowser;
  let realm: FakeZulipServer;
  let oldRealm: FakeZulipServer;
  let popup: ToolbarPopupDriver;
  let downloads: string;

  beforeAll(async () => {
    downloads = mkdtempSync(join(tmpdir(), `keyring-secrets-downloads-${kind}-`));
    realm = await startFakeZulip({ realm: createDemoRealm() });
    // Before feature level 171 the new key is sent straight back to the server (users/me) to learn the user id.
    oldRealm = await startFakeZulip({ realm: createDemoRealm({ name: 'Old Org', zulipVersion: '6.2', featureLevel: 170 }) });
    browser = await launchExtensionBrowser(kind, { downloadsDir: downloads });
  });

  afterAll(async () => {
    await browser?.close();
    await realm?.close();
    await oldRealm?.close();
    if (downloads) rmSync(downloads, { recursive: true, force: true });
  });

  const scanEverything = async (): Promise<Finding[]> =>
    findSecrets(scanSources(await readPersistedState(browser), browser, [realm, oldRealm]), SECRETS);

  it('the scan finds a value planted in each place it reads, in the encoding it was planted in', async () => {
    // '>>>???' first: its base64 holds '+' and '/', so that base64 and base64url differ; 'é' tests non-ASCII output.
    const canary = { name: 'canary', value: `>>>???Canary ${kind} ${Date.now()} é` };
    await browser.evaluateInExtensionPage(plantCanary, canary.value);
    const planted = [
      { where: 'storage.local', encoding: 'plain' },
      { where: 'storage.session', encoding: 'base64' },
      { where: 'storage.sync', encoding: 'hex (UTF-8)' },
      { where: 'localStorage', encoding: 'URL-encoded' },
      { where: 'IndexedDB canary/things', encoding: 'hex (UTF-8)' },
      { where: 'registered content scripts', encoding: 'base64url' },
      { where: 'console', encoding: 'plain' },
    ];
    const isFound = (findings: Finding[]) => planted.every((p) => findings.some((f) => f.where === p.where && f.encoding === p.encoding));
    // Firefox's console lines arrive over its stdout, a moment later.
    const findings = await pollUntil(
      async () => {
        const found = findSecrets(scanSources(await readPersistedState(browser), browser, []), [canary]);
        return isFound(found) ? found : undefined;
      },
      10_000,
      'the scan to find the canary in every place it was planted',
    );
    expect(findings).toEqual(expect.arrayContaining(planted.map((p) => ({ secret: 'canary', ...p }))));

    await browser.evaluateInExtensionPage(removeCanary);
    const state = await readPersistedState(browser);
    expect(findSecrets(persistedSources(state), [canary])).toEqual([]);
    expect(state.indexedDb.map((db) => db.name)).not.toContain('canary');
  });

  it('signs in through the popup: a lookup, a wrong password, then Iago', async () => {
    popup = await browser.openToolbarPopup();
    await popup.clickButton('Add account');
    await popup.fillByLabel('Server URL', realm.url);
    await popup.clickButton('Continue');
    await popup.waitForText('Zulip Dev');
    await popup.fillByLabel('Email', IAGO.email);
    await popup.fillByLabel('Password', WRONG_PASSWORD);
    await popup.clickButton('Log in');
    await popup.waitForText('Your email or password is incorrect.');
    // The scan looks for the strings that were really sent.
    const attempts = realm.requests.filter((r) => r.path === '/api/v1/fetch_api_key').map((r) => new URLSearchParams(r.body).get('password'));
    expect(attempts).toEqual([WRONG_PASSWORD]);
    await popup.fillByLabel('Password', IAGO.password);
    expect(await scanEverything()).toEqual([]);
    await popup.clickButton('Log in');
    await popup.waitForButton(`Remove ${IAGO.email} from Zulip Dev`);
  });

  it('signs in Desdemona on a server that is asked users/me with the new key', async () => {
    await popup.clickButton('Add account');
    await popup.fillByLabel('Server URL', oldRealm.url);
    await popup.clickButton('Continue');
    await popup.waitForText('Old Org');
    await popup.fillByLabel('Email', DESDEMONA.email);
    await popup.fillByLabel('Password', DESDEMONA.password);
    await popup.clickButton('Log in');
    await popup.waitForButton(`Remove ${DESDEMONA.email} from Old Org`);
    const usersMe = oldRealm.requests.filter((r) => r.path === '/api/v1/users/me');
    expect(usersMe.map((r) => r.headers.authorization)).toEqual([`Basic ${btoa(`${DESDEMONA.email}:${DESDEMONA.apiKey}`)}`]);
    await popup.close();
  });

  it('hands the key to the content script on the realm\'s page', async () => {
    const page = await browser.openPage(`${realm.url}/`);
    const reply = await browser.runInContentScript(`${realm.url}/`, () => (globalThis as unknown as KeyringWorld).keyringForZulip.getCredentials());
    expect(reply).toMatchObject({ ok: true, credentials: { apiKey: IAGO.apiKey } });
    await page.close();
  });

  it('shows, copies and saves Iago\'s key from the popup', async () => {
    popup = await browser.openToolbarPopup();
    await popup.clickButton(`Show API key for ${IAGO.email} on Zulip Dev`);
    expect(await popup.inputValue('API key')).toBe(IAGO.apiKey);
    await popup.clickButton('Copy API key');
    await popup.waitForText('Copied the API key to the clipboard.');
    await popup.clickButton(`Download zuliprc for ${IAGO.email} on Zulip Dev`);
    await downloadedFile(downloads);
    await popup.close();
  });

  it('left no password anywhere and no API key in plaintext, in anything it can persist, any console or any URL', async () => {
    const state = await readPersistedState(browser);
    // Every place was readable: none was skipped.
    expect(state.unavailable).toEqual({});
    // The scan covers a world with something in it: both accounts, their sealed keys and the sealing key.
    expect(Object.keys(state.storageLocal).filter((key) => key.startsWith('account:')).sort()).toEqual([`account:${oldRealm.url}`, `account:${realm.url}`].sort());
    expect(state.registeredContentScripts).toHaveLength(1);
    const sealing = state.indexedDb.flatMap((db) => db.stores.flatMap((store) => store.records.map((r) => ({ at: `${db.name}/${store.name}`, value: r.value }))));
    expect(sealing).toEqual([
      {
        at: 'keyring-for-zulip/keys',
        value: { $cryptoKey: expect.objectContaining({ type: 'secret', extractable: false, usages: expect.arrayContaining(['encrypt', 'decrypt']) }) },
      },
    ]);
    expect(JSON.stringify(sealing)).toMatch(/export refused/);
    // storage.sync may travel to other computers: nothing at all goes there.
    expect(state.storageSync).toEqual({});
    expect(findSecrets(scanSources(state, browser, [realm, oldRealm]), SECRETS)).toEqual([]);
  });
});
