// Chromium (Debian's /usr/bin/chromium) through playwright-core over CDP.
import { chromium, type BrowserContext, type CDPSession, type ConsoleMessage, type Locator, type Page, type Worker } from 'playwright-core';
import type { ExtensionBrowser, LaunchOptions, PageDriver, PopupDismissal, PopupSize, ToolbarPopupDriver } from './extension-browser';
import {
  type ContentScriptOutcome,
  contentScriptExpr,
  focusedNameExpr,
  namesExpr,
  popupReadyExpr,
  popupSizeExpr,
  textOfExpr,
  textPresentExpr,
  bodyTextExpr,
} from './dom-helpers';
import { DEFAULT_TIMEOUT_MS, describeName, findBinary, functionSource, loadBuiltExtension, makeProfileDir, pollUntil, withTimeout } from './util';

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/lib/chromium/chromium', '/usr/bin/chromium-browser'];

class ChromiumPage implements PageDriver {
  constructor(protected readonly page: Page) {}

  get url(): string {
    return this.page.url();
  }

  async goto(url: string): Promise<void> {
    await this.page.goto(url, { waitUntil: 'load', timeout: DEFAULT_TIMEOUT_MS * 3 });
  }

  private field(label: string | RegExp): Locator {
    return this.page.getByLabel(label, { exact: true }).first();
  }

  private button(name: string | RegExp): Locator {
    return this.page.getByRole('button', { name, exact: true }).first();
  }

  async fillByLabel(label: string | RegExp, value: string): Promise<void> {
    await this.field(label).fill(value, { timeout: DEFAULT_TIMEOUT_MS });
  }

  async clickButton(name: string | RegExp): Promise<void> {
    try {
      await this.button(name).click({ timeout: DEFAULT_TIMEOUT_MS });
    } catch (error) {
      throw new Error(`clickButton(${describeName(name)}) failed on ${this.url}: ${firstLine(error)}`, { cause: error });
    }
  }

  async pressKey(key: string): Promise<void> {
    await this.page.keyboard.press(key);
  }

  async typeText(text: string): Promise<void> {
    await this.page.keyboard.type(text);
  }

  async focusedElementName(): Promise<string> {
    return this.page.evaluate<string>(focusedNameExpr());
  }

  async waitForText(text: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    try {
      await waitForExpr(this.page, textPresentExpr(text), timeoutMs, `text ${describeName(text)}`);
    } catch (error) {
      const seen = await this.page.evaluate<string>(bodyTextExpr()).catch(() => '?');
      throw new Error(`waitForText(${describeName(text)}) failed on ${this.url}: ${firstLine(error)}; page text: ${JSON.stringify(seen)}`, {
        cause: error,
      });
    }
  }

  async waitForButton(name: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    try {
      await this.button(name).waitFor({ state: 'visible', timeout: timeoutMs });
    } catch {
      const seen = await this.page.evaluate(namesExpr('button')).catch(() => '?');
      throw new Error(`waitForButton(${describeName(name)}) timed out after ${timeoutMs} ms on ${this.url}; buttons: ${JSON.stringify(seen)}`);
    }
  }

  async textOf(selector: string): Promise<string> {
    return this.page.evaluate<string>(textOfExpr(selector));
  }

  async inputValue(label: string | RegExp): Promise<string> {
    return this.field(label).inputValue({ timeout: DEFAULT_TIMEOUT_MS });
  }

  async isButtonDisabled(name: string | RegExp): Promise<boolean> {
    return this.button(name).isDisabled({ timeout: DEFAULT_TIMEOUT_MS });
  }

  async evaluate<T>(fn: () => T | Promise<T>): Promise<T> {
    return (await this.page.evaluate(fn)) as T;
  }

  async emulateColorScheme(scheme: 'light' | 'dark'): Promise<void> {
    await this.page.emulateMedia({ colorScheme: scheme });
  }

  async screenshot(path: string, selector?: string): Promise<void> {
    if (selector) await this.page.locator(selector).first().screenshot({ path });
    else await this.page.screenshot({ path });
  }

  async close(): Promise<void> {
    if (!this.page.isClosed()) await this.page.close();
  }
}

/**
 * The real toolbar popup. With PW_CHROMIUM_ATTACH_TO_OTHER set, Playwright attaches to the popup's target (type
 * "other") as to a page, so everything a tab does works here too, with the same trusted CDP input.
 */
class ChromiumToolbarPopup extends ChromiumPage implements ToolbarPopupDriver {
  constructor(
    page: Page,
    /** Brings the tab under the popup to the front: what a click on that page does to the popup. */
    private readonly focusTabBelow: () => Promise<void>,
  ) {
    super(page);
  }

  async isOpen(): Promise<boolean> {
    return !this.page.isClosed();
  }

  // A click or key may be the popup's last act (a permission prompt or a new tab closes it before the input returns).
  override async clickButton(name: string | RegExp): Promise<void> {
    await super.clickButton(name).catch((error: unknown) => this.unlessClosed(error));
  }

  override async pressKey(key: string): Promise<void> {
    await super.pressKey(key).catch((error: unknown) => this.unlessClosed(error));
  }

  private unlessClosed(error: unknown): void {
    if (!this.page.isClosed()) throw error;
  }

  async waitUntilClosed(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    await pollUntil(async () => (this.page.isClosed() ? true : undefined), timeoutMs, 'the toolbar popup to close');
  }

  async dismiss(how: PopupDismissal): Promise<void> {
    if (how === 'escape') {
      throw new Error('Headless Chromium does not deliver Escape to the toolbar popup (CDP keys reach the page, not its host); use click-outside');
    }
    await this.focusTabBelow();
    await this.waitUntilClosed();
  }

  async measure(): Promise<PopupSize> {
    return this.page.evaluate<PopupSize>(popupSizeExpr());
  }

  override async close(): Promise<void> {
    if (!this.page.isClosed()) await this.dismiss('click-outside');
  }
}

/**
 * Polls a boolean expression through CDP Runtime.evaluate. Not page.waitForFunction: its in-page polling evaluates
 * the predicate with eval, which an extension page's CSP refuses.
 */
async function waitForExpr(page: Page, expr: string, timeoutMs: number, what: string): Promise<void> {
  await pollUntil(async () => ((await page.evaluate<boolean>(expr)) ? true : undefined), timeoutMs, what);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

export async function launchChromium(options: LaunchOptions): Promise<ExtensionBrowser> {
  const executablePath = findBinary('Chromium', 'CHROMIUM_BIN', CHROMIUM_CANDIDATES);
  const ext = loadBuiltExtension('chrome', options.distDir);
  const profile = makeProfileDir('chromium');
  // The toolbar popup's target starts as type "other", which Playwright leaves alone unless this (internal, read when
  // a target appears) variable is set. An upgrade of playwright-core may rename it: openToolbarPopup then times out.
  process.env.PW_CHROMIUM_ATTACH_TO_OTHER = '1';
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile.dir, {
      executablePath,
      headless: true,
      // No emulated viewport: it would be forced on the toolbar popup too, which must size itself to its content.
      viewport: null,
      // Playwright adds --disable-extensions by default; drop it (it would fight --load-extension).
      ignoreDefaultArgs: ['--disable-extensions'],
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // Headless's default screen is 800x600, which clips the popup (at most 800x600 itself) to about 800x510.
        '--screen-info={1920x1080}',
        '--window-size=1280,720',
        `--disable-extensions-except=${ext.dir}`,
        `--load-extension=${ext.dir}`,
      ],
      timeout: 60_000,
      ...(options.downloadsDir && { acceptDownloads: true, downloadsPath: options.downloadsDir }),
    });
  } catch (error) {
    profile.remove();
    throw error;
  }

  const messages: string[] = [];
  const onConsole = (message: ConsoleMessage) => {
    // 'verbose' is Chromium's own advice ("[DOM] Password field is not contained in a form"), not the page's output.
    if ((message.type() as string) !== 'verbose') messages.push(`${message.type()}: ${message.text()}`);
  };
  const watchPage = (page: Page) => {
    page.on('console', onConsole);
    page.on('pageerror', (error) => messages.push(`pageerror: ${String(error)}`));
  };
  const watchWorker = (worker: Worker) => worker.on('console', onConsole);
  context.pages().forEach(watchPage);
  context.on('page', watchPage);
  context.serviceWorkers().forEach(watchWorker);
  context.on('serviceworker', watchWorker);

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    try {
      await withTimeout(context.close(), 20_000, 'closing Chromium');
    } finally {
      profile.remove();
    }
  };

  try {
    const isOurs = (w: Worker) => w.url().startsWith('chrome-extension://');
    const worker =
      context.serviceWorkers().find(isOurs) ?? (await context.waitForEvent('serviceworker', { predicate: isOurs, timeout: 20_000 }));
    const extensionId = new URL(worker.url()).host;
    const extensionOrigin = `chrome-extension://${extensionId}`;
    const popupUrl = `${extensionOrigin}/${ext.popupPath}`;

    // A quiet extension page (the manifest, which runs no extension code) kept open to call extension APIs from.
    const initialPage = context.pages()[0];
    let control: Promise<Page> | undefined;
    const controlPage = async (): Promise<Page> => {
      const current = control && (await control.catch(() => undefined));
      if (current && !current.isClosed()) return current;
      control = (async () => {
        const page = initialPage && !initialPage.isClosed() && initialPage.url() === 'about:blank' ? initialPage : await context.newPage();
        await page.goto(`${extensionOrigin}/manifest.json`);
        return page;
      })();
      return control;
    };

    // Tabs opened in the background (CDP Target.createTarget), since a tab coming to the front closes the popup.
    let targets: CDPSession | undefined;
    const newBackgroundPage = async (): Promise<Page> => {
      targets ??= await context.newCDPSession(await controlPage());
      const before = new Set(context.pages());
      const opened = context.waitForEvent('page', { predicate: (page) => !before.has(page), timeout: DEFAULT_TIMEOUT_MS });
      await targets.send('Target.createTarget', { url: 'about:blank', background: true });
      return opened;
    };
    const toolbarPopups = new WeakSet<Page>();
    const tabs = () => context.pages().filter((page) => !page.isClosed() && !toolbarPopups.has(page));

    let cdp: CDPSession | undefined;
    const versions = new Map<string, { runningStatus: string; scriptURL: string }>();
    const serviceWorkerCdp = async (): Promise<CDPSession> => {
      if (cdp) return cdp;
      const session = await context.newCDPSession(await controlPage());
      session.on('ServiceWorker.workerVersionUpdated', ({ versions: updated }) => {
        for (const v of updated) versions.set(v.versionId, { runningStatus: v.runningStatus, scriptURL: v.scriptURL });
      });
      await session.send('ServiceWorker.enable');
      cdp = session;
      return session;
    };

    const browser: ExtensionBrowser = {
      kind: 'chromium',
      extensionOrigin,
      extensionId,

      async openPopup() {
        const page = await context.newPage();
        await page.goto(popupUrl);
        try {
          await waitForExpr(page, popupReadyExpr(), DEFAULT_TIMEOUT_MS, 'the popup to render');
        } catch {
          throw new Error(`The popup (${popupUrl}) did not render into #app within ${DEFAULT_TIMEOUT_MS} ms. Console: ${messages.slice(-10).join(' | ')}`);
        }
        return new ChromiumPage(page);
      },

      async openToolbarPopup({ rendered = true } = {}) {
        const control = await controlPage();
        const opened = context.waitForEvent('page', {
          predicate: (page) => page.url() === popupUrl,
          timeout: DEFAULT_TIMEOUT_MS,
        });
        // From an extension tab rather than the service worker, so a stopped worker is not woken by the harness.
        const failed = await control.evaluate<string>(`chrome.action.openPopup().then(() => '', (e) => String(e && e.message || e))`);
        if (failed) {
          opened.catch(() => {});
          throw new Error(`action.openPopup() failed: ${failed}`);
        }
        const page = await opened;
        toolbarPopups.add(page);
        const driver = new ChromiumToolbarPopup(page, () => control.bringToFront());
        if (!rendered) return driver;
        try {
          await waitForExpr(page, popupReadyExpr(), DEFAULT_TIMEOUT_MS, 'the toolbar popup to render');
        } catch (error) {
          throw new Error(`The toolbar popup did not render into #app. Console: ${messages.slice(-10).join(' | ')}`, { cause: error });
        }
        return driver;
      },

      async answerPermissionPrompt() {
        throw new Error('Headless Chromium cannot answer its permission prompt; use the test build, which holds the loopback hosts');
      },

      async openPage(url: string) {
        const page = await newBackgroundPage();
        const driver = new ChromiumPage(page);
        await driver.goto(url);
        return driver;
      },

      async waitForTab(match: (url: string) => boolean, timeoutMs = DEFAULT_TIMEOUT_MS) {
        const found = async () => tabs().find((page) => match(page.url()));
        const page = await pollUntil(found, timeoutMs, 'a tab with a matching URL').catch((error: unknown) => {
          const open = tabs().map((candidate) => candidate.url());
          throw new Error(`${(error as Error).message}; open tabs: ${JSON.stringify(open)}`, { cause: error });
        });
        return new ChromiumPage(page);
      },

      async tabUrls() {
        return tabs().map((page) => page.url());
      },

      async runInContentScript<T, A extends unknown[] = []>(pageUrl: string, fn: (...args: A) => T | Promise<T>, ...args: A): Promise<T> {
        const page = await controlPage();
        const outcome = await page.evaluate<ContentScriptOutcome<T>>(contentScriptExpr(pageUrl, functionSource(fn), args));
        if (!outcome.ok) throw new Error(`runInContentScript(${pageUrl}): ${outcome.error}`);
        return outcome.value;
      },

      async stopBackground() {
        const session = await serviceWorkerCdp();
        const ours = () => [...versions].filter(([, v]) => v.scriptURL.startsWith(`${extensionOrigin}/`));
        // The version list arrives as events right after ServiceWorker.enable.
        await pollUntil(async () => (ours().length ? true : undefined), 5_000, 'the extension service worker to be listed over CDP');
        const running = ours().filter(([, v]) => v.runningStatus !== 'stopped');
        for (const [versionId] of running) await session.send('ServiceWorker.stopWorker', { versionId });
        await pollUntil(
          async () => (ours().every(([, v]) => v.runningStatus === 'stopped') ? true : undefined),
          10_000,
          'the extension service worker to stop',
        );
      },

      async readStorageLocal() {
        const page = await controlPage();
        return page.evaluate<Record<string, unknown>>('chrome.storage.local.get(null)');
      },

      async evaluateInExtensionPage<T, A extends unknown[] = []>(fn: (...args: A) => T | Promise<T>, ...args: A): Promise<T> {
        const page = await controlPage();
        return (await page.evaluate(`${functionSource(fn)}(...${JSON.stringify(args)})`)) as T;
      },

      consoleMessages: () => [...messages],
      close,
    };
    return browser;
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}
