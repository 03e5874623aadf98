// Download zuliprc and Show / Copy API key, in real Chromium and real Firefox: the file lands on disk
// without a dialog, Zulip's JavaScript client (zulip-js) reads it and signs in to the fake server with
// it, and the key reaches the clipboard (pasted back with real keys) only from Copy API key.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import zulip from 'zulip-js';
import { createDemoRealm, IAGO } from '../fake-zulip/demo-realm';
import { startFakeZulip, type FakeZulipServer } from '../fake-zulip/fake-zulip-server';
import { BROWSER_KINDS, launchExtensionBrowser, type ExtensionBrowser, type ToolbarPopupDriver } from './harness/extension-browser';
import { downloadedFile } from './harness/downloads';
import { pollUntil } from './harness/util';
import { addAccountWithPassword } from './harness/popup-steps';

const DOWNLOAD = `Download zuliprc for ${IAGO.email} on Zulip Dev`;
const SHOW = `Show API key for ${IAGO.email} on Zulip Dev`;

/** A page with one text area to paste into, as a person would test what they copied. */
async function startPastePage(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>Paste</title><label for="p">Paste here</label><textarea id="p"></textarea>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface ExtensionWorld {
  extension: { getViews(filter: { type: 'tab' }): Window[] };
}

/**
 * The extension's zuliprc tabs, as their URL and text, read from another extension page: Firefox's remote agent
 * reports no URL for tabs the extension opened itself (see harness/README.md), so waitForTab cannot find them there.
 */
const zuliprcTabs = () =>
  ((globalThis as unknown as { browser?: ExtensionWorld; chrome: ExtensionWorld }).browser ?? (globalThis as unknown as { chrome: ExtensionWorld }).chrome).extension
    .getViews({ type: 'tab' })
    .filter((view) => view.location.pathname === '/src/export/zuliprc.html')
    .map((view) => ({ url: view.location.href, text: view.document.body.innerText }));

const closeZuliprcTabs = () => {
  const world = globalThis as unknown as { browser?: ExtensionWorld; chrome: ExtensionWorld };
  for (const view of (world.browser ?? world.chrome).extension.getViews({ type: 'tab' })) {
    if (view.location.pathname === '/src/export/zuliprc.html') view.close();
  }
};

/** Every text and field value of a page, where a shown key would be. */
const pageText = () => `${document.body.textContent ?? ''}\n${[...document.querySelectorAll('input')].map((input) => input.value).join('\n')}`;

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let browser: ExtensionBrowser;
  let realm: FakeZulipServer;
  let popup: ToolbarPopupDriver;
  let downloads: string;

  beforeAll(async () => {
    realm = await startFakeZulip({ realm: createDemoRealm() });
    downloads = mkdtempSync(join(tmpdir(), `keyring-downloads-${kind}-`));
    browser = await launchExtensionBrowser(kind, { downloadsDir: downloads });
    popup = await browser.openToolbarPopup();
    await addAccountWithPassword(popup, realm.url, IAGO);
    await popup.waitForButton(DOWNLOAD);
  });

  afterAll(async () => {
    await browser?.close();
    await realm?.close();
    if (downloads) rmSync(downloads, { recursive: true, force: true });
  });

  it('Download zuliprc saves the file from a tab of its own, also when the popup closes at once; zulip-js reads it and calls users/me successfully', async () => {
    await popup.clickButton(DOWNLOAD);
    // As Chromium closes the toolbar popup when the tab opens (Firefox keeps it; a file dialog would close it).
    await popup.close();
    try {
      const [tab] = await pollUntil(
        async () => {
          const tabs = await browser.evaluateInExtensionPage(zuliprcTabs);
          return tabs.some((open) => open.text.includes('Your browser is saving')) ? tabs : undefined;
        },
        10_000,
        'the zuliprc tab to say it saved the file',
      );
      expect(tab!.text.split('\n').filter((line) => line.trim() !== '').slice(0, 2)).toEqual([
        `zuliprc for ${IAGO.email} on Zulip Dev`,
        'Your browser is saving the file zuliprc with its downloads.',
      ]);
      expect(tab!.url).not.toContain(IAGO.apiKey);
      const path = await downloadedFile(downloads);
      if (kind === 'firefox') expect(basename(path)).toBe('zuliprc');
      expect(readFileSync(path, 'utf8')).toBe(`[api]\nemail=${IAGO.email}\nkey=${IAGO.apiKey}\nsite=${realm.url}\n`);

      const client = await zulip({ zuliprc: path });
      realm.requests.length = 0;
      expect(await client.users.me.getProfile()).toMatchObject({ result: 'success', email: IAGO.email, user_id: IAGO.userId });
      expect(realm.requests.map((request) => [request.path, request.headers.authorization])).toEqual([
        ['/api/v1/users/me', `Basic ${btoa(`${IAGO.email}:${IAGO.apiKey}`)}`],
      ]);
    } finally {
      await browser.evaluateInExtensionPage(closeZuliprcTabs);
    }
    // The tab runs under the extension pages' content security policy, and logs nothing of the key.
    const lines = browser.consoleMessages();
    expect(lines.filter((line) => /Content[- ]Security[- ]Policy|^pageerror/i.test(line))).toEqual([]);
    expect(lines.join('\n')).not.toContain(IAGO.apiKey);
    // window.close() from the page's own script: an extension page may close its tab.
    await pollUntil(async () => ((await browser.evaluateInExtensionPage(zuliprcTabs)).length === 0 ? true : undefined), 10_000, 'the zuliprc tab to close');
  });

  it('shows the key only after Show API key, copies it only with Copy API key, and takes it away with Hide API key', async () => {
    // Chromium closed the popup as the zuliprc tab opened; Firefox keeps it open.
    await popup.close();
    popup = await browser.openToolbarPopup();
    expect(await popup.evaluate(pageText)).not.toContain(IAGO.apiKey);
    await popup.clickButton(SHOW);
    expect(await popup.inputValue('API key')).toBe(IAGO.apiKey);
    await popup.clickButton('Copy API key');
    await popup.waitForText('Copied the API key to the clipboard.');

    const pastePage = await startPastePage();
    const page = await browser.openPage(pastePage.url);
    try {
      await page.fillByLabel('Paste here', '');
      await page.pressKey('Control+V');
      expect(await page.inputValue('Paste here')).toBe(IAGO.apiKey);
    } finally {
      await page.close();
      await pastePage.close();
    }

    await popup.clickButton('Hide API key');
    await popup.waitForButton(SHOW);
    expect(await popup.evaluate(pageText)).not.toContain(IAGO.apiKey);
  });
});
