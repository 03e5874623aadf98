// Checks the end-to-end harness itself in both browsers: popup, web page, content script, storage, background restart.
// The popup here is popup.html in a tab (openPopup): what is checked is the tab driver itself; the real toolbar
// popup's driver is checked in real-popup.e2e.test.ts.
import { rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_KINDS, launchExtensionBrowser, type ExtensionBrowser } from './harness/extension-browser';

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Harness page</title>
<style>#help::before { content: 'Help'; }</style></head>
<body>
  <h1>Harness test page</h1>
  <label>Server URL <input id="server" type="url"></label>
  <label for="key">API key</label><input id="key" type="password">
  <button id="go" aria-label="Log in"><span aria-hidden="true">→</span></button>
  <button id="off" disabled>Add account</button>
  <button id="gear"><svg width="12" height="12" role="img"><title>Settings</title><rect width="12" height="12"/></svg></button>
  <button id="help"></button>
  <p id="out"></p>
  <script>
    document.getElementById('go').addEventListener('click', (e) => {
      document.getElementById('out').textContent = 'clicked ' + (e.isTrusted ? 'trusted' : 'synthetic') + ' ' + navigator.userActivation.isActive;
    });
    console.log('page says hi');
  </script>
</body></html>`;

/** What the evaluated functions use of `browser` (Firefox) / `chrome` (Chromium). */
type ExtensionApi = {
  runtime: { id: string; sendMessage(message: unknown): Promise<unknown> };
  i18n: { getMessage(name: string): string };
};
type WithExtensionApi = { browser?: ExtensionApi; chrome?: ExtensionApi };

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

describe.each(BROWSER_KINDS)('harness in %s', (kind) => {
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    const started = Date.now();
    browser = await launchExtensionBrowser(kind);
    console.log(`${kind}: launched with the extension in ${Date.now() - started} ms (${browser.extensionOrigin})`);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('opens the popup, which renders the extension', async () => {
    const popup = await browser.openPopup();
    try {
      expect(popup.url).toMatch(new RegExp(`^${browser.extensionOrigin}/.+\\.html$`));
      // The placeholder popup renders the i18n extension name; the real one has "Keyring for Zulip" as its heading.
      await popup.waitForText('Keyring for Zulip');
      expect(await popup.textOf('#app')).toContain('Keyring for Zulip');
      const fromPage = await popup.evaluate(() => {
        const api = ((globalThis as WithExtensionApi).browser ?? (globalThis as WithExtensionApi).chrome)!;
        return { id: api.runtime.id, name: api.i18n.getMessage('extensionName') };
      });
      expect(fromPage.name).toBe('Keyring for Zulip');
      expect(fromPage.id).toBe(browser.extensionId);
    } finally {
      await popup.close();
    }
  });

  it('drives a web page by accessible names with real input', async () => {
    const page = await browser.openPage(baseUrl);
    try {
      expect(page.url).toBe(baseUrl);
      await page.fillByLabel('Server URL', 'https://chat.example.com');
      expect(await page.inputValue('Server URL')).toBe('https://chat.example.com');
      await page.fillByLabel(/api key/i, 'secret');
      expect(await page.inputValue('API key')).toBe('secret');
      await page.fillByLabel('Server URL', 'x');
      expect(await page.inputValue(/server/i)).toBe('x');
      expect(await page.focusedElementName()).toBe('Server URL');
      await page.pressKey('Tab');
      expect(await page.focusedElementName()).toBe('API key');
      await page.pressKey('End'); // focusing by Tab selects the field's content
      await page.typeText('!');
      expect(await page.inputValue('API key')).toBe('secret!');
      await page.pressKey('Shift+Tab');
      expect(await page.focusedElementName()).toBe('Server URL');

      await page.waitForButton('Log in');
      await page.waitForButton(/add acc/i);
      await page.waitForButton('Settings'); // name from an SVG <title>
      await page.waitForButton('Help'); // name from CSS content: Firefox finds it through its accessibility tree
      expect(await page.isButtonDisabled('Log in')).toBe(false);
      expect(await page.isButtonDisabled('Add account')).toBe(true);
      await page.clickButton('Log in');
      await page.waitForText('clicked trusted true');
      expect(await page.textOf('#out')).toBe('clicked trusted true');
      expect(await page.textOf('#nothing')).toBe('');
      await expect(page.waitForButton('No such button', 300)).rejects.toThrow(/No such button/);
    } finally {
      await page.close();
    }
  });

  it('drives an extension page with real input', async () => {
    const popup = await browser.openPopup();
    try {
      await popup.evaluate(() => {
        const form = document.createElement('form');
        form.innerHTML = '<label>Realm <input name="realm"></label><button type="button">Check</button><output></output>';
        form.querySelector('button')!.addEventListener('click', (event) => {
          form.querySelector('output')!.textContent = `checked ${form.querySelector('input')!.value} ${event.isTrusted}`;
        });
        document.body.append(form);
      });
      await popup.fillByLabel('Realm', 'zulip.example');
      await popup.clickButton('Check');
      await popup.waitForText('checked zulip.example true');
      const shot = join(tmpdir(), `keyring-harness-${kind}-${process.pid}.png`);
      await popup.screenshot(shot);
      expect(statSync(shot).size).toBeGreaterThan(100);
      rmSync(shot, { force: true });
    } finally {
      await popup.close();
    }
  });

  it('runs a content script in the tab that reaches the background', async () => {
    const page = await browser.openPage(baseUrl);
    try {
      const result = await browser.runInContentScript(baseUrl, async () => {
        const api = ((globalThis as WithExtensionApi).browser ?? (globalThis as WithExtensionApi).chrome)!;
        const reply: unknown = await api.runtime.sendMessage({ type: 'harness-ping' });
        return { origin: location.origin, id: api.runtime.id, title: document.title, reply };
      });
      expect(result.origin).toBe(new URL(baseUrl).origin);
      expect(result.id).toBe(browser.extensionId);
      expect(result.title).toBe('Harness page');
      expect(result.reply).toBeDefined();
      expect(await browser.runInContentScript(baseUrl, (a: number, b: { s: string }) => `${a}-${b.s}`, 7, { s: 'x' })).toBe('7-x');
      await expect(
        browser.runInContentScript(baseUrl, () => {
          throw new Error('boom from content');
        }),
      ).rejects.toThrow(/boom from content/);
    } finally {
      await page.close();
    }
  });

  it('reads storage.local', async () => {
    const stored = await browser.readStorageLocal();
    expect(typeof stored).toBe('object');
    expect(stored).not.toBeNull();
  });

  it('collects console output', async () => {
    const popup = await browser.openPopup();
    try {
      await popup.evaluate(() => console.log('harness console check', 42));
      const deadline = Date.now() + 5_000;
      while (!browser.consoleMessages().some((m) => m.includes('harness console check 42')) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(browser.consoleMessages()).toContainEqual(expect.stringContaining('harness console check 42'));
      expect(browser.consoleMessages()).toContainEqual(expect.stringContaining('page says hi'));
    } finally {
      await popup.close();
    }
  });

  it('stops the background, and the next message starts it again', async () => {
    await browser.stopBackground();
    const popup = await browser.openPopup();
    try {
      await popup.waitForText('Keyring for Zulip');
      const reply = await popup.evaluate(async () => {
        const api = ((globalThis as WithExtensionApi).browser ?? (globalThis as WithExtensionApi).chrome)!;
        return (await api.runtime.sendMessage({ type: 'harness-ping' })) as unknown;
      });
      expect(reply).toBeDefined();
    } finally {
      await popup.close();
    }
  });
});
