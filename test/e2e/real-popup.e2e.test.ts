// The harness's real toolbar popup (action.openPopup(), not popup.html in a tab), in both browsers: it opens sized
// to its content, takes trusted input, its requests reach the router without a sender.tab and succeed, only one
// opens at a time, and Escape or a click outside closes it.
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_KINDS, POPUP_DISMISSALS, launchExtensionBrowser, type ExtensionBrowser, type ToolbarPopupDriver } from './harness/extension-browser';

interface Sender {
  url?: string;
  tab?: unknown;
}
type ExtensionApi = {
  runtime: {
    sendMessage(message: unknown): Promise<unknown>;
    onMessage: { addListener(listener: (message: unknown, sender: Sender) => void): void };
  };
};
type Recorder = { browser?: ExtensionApi; chrome?: ExtensionApi; seenSenders?: { type: unknown; url?: string; hasTab: boolean }[] };

const ARTIFACTS = join('artifacts', 'real-popup');

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let browser: ExtensionBrowser;
  let popup: ToolbarPopupDriver;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchExtensionBrowser(kind);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('opens the toolbar popup, not a tab, sized to its content', async () => {
    popup = await browser.openToolbarPopup();
    await popup.waitForButton('Add account');
    expect(await popup.isOpen()).toBe(true);
    expect((await browser.tabUrls()).filter((url) => url.endsWith('popup.html'))).toEqual([]);
    const size = await popup.measure();
    // The popup's own CSS width, not a tab's 1280 px; the height follows the content (a tab's would be 720).
    expect(size.width).toBe(360);
    expect(size.height).toBeLessThan(300);
    expect(size.scrollWidth).toBeLessThanOrEqual(size.width);
  });

  it('only one popup opens at a time', async () => {
    await expect(browser.openToolbarPopup()).rejects.toThrow(/openPopup\(\) failed/);
    expect(await popup.isOpen()).toBe(true);
  });

  it('clicks and keys arrive as trusted input', async () => {
    await popup.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { trustSeen: string[] }).trustSeen = seen;
      for (const type of ['click', 'keydown']) document.addEventListener(type, (event) => seen.push(`${type}:${event.isTrusted}`), true);
    });
    await popup.clickButton('Add account');
    await popup.fillByLabel('Server URL', 'https://chat.example.com');
    expect(await popup.inputValue('Server URL')).toBe('https://chat.example.com');
    expect(await popup.focusedElementName()).toBe('Server URL');
    await popup.pressKey('Tab');
    expect(await popup.focusedElementName()).not.toBe('Server URL');
    const seen = await popup.evaluate(() => (window as unknown as { trustSeen: string[] }).trustSeen);
    expect(seen).toContain('click:true');
    expect(seen).toContain('keydown:true');
    expect(seen.filter((entry) => entry.endsWith(':false'))).toEqual([]);
  });

  it("the popup's requests carry no sender.tab, and the router answers them", async () => {
    await browser.evaluateInExtensionPage(() => {
      const world = globalThis as unknown as Recorder;
      const seen: NonNullable<Recorder['seenSenders']> = [];
      world.seenSenders = seen;
      (world.browser ?? world.chrome)!.runtime.onMessage.addListener((message, sender) => {
        seen.push({ type: (message as { type?: unknown }).type, url: sender.url, hasTab: sender.tab !== undefined });
      });
    });
    const reply = await popup.evaluate(() => {
      const world = globalThis as unknown as Recorder;
      return (world.browser ?? world.chrome)!.runtime.sendMessage({ type: 'accounts.list' });
    });
    expect(reply).toEqual({ ok: true, accounts: [] });
    const senders = await browser.evaluateInExtensionPage(() => (globalThis as unknown as Recorder).seenSenders ?? []);
    expect(senders).toContainEqual({ type: 'accounts.list', url: expect.stringMatching(/popup\.html$/) as unknown, hasTab: false });
  });

  it('measures and screenshots the popup as shown', async () => {
    const size = await popup.measure();
    expect(size.outsideHorizontally).toEqual([]);
    const path = join(ARTIFACTS, `${kind}-server-step.png`);
    await popup.screenshot(path);
    expect(statSync(path).size).toBeGreaterThan(1000);
  });

  it.each(POPUP_DISMISSALS[kind])('closes on %s, and opens again', async (how) => {
    if (!(await popup.isOpen())) popup = await browser.openToolbarPopup();
    await popup.dismiss(how);
    expect(await popup.isOpen()).toBe(false);
    popup = await browser.openToolbarPopup();
    expect(await popup.isOpen()).toBe(true);
  });
});
