// Firefox ESR through puppeteer-core over WebDriver BiDi.
//
// Firefox's remote agent does not report events (navigation, realms, console) for extension browsing contexts (it
// skips them until it supports debugging extensions, Bug 1755014), but commands sent to them work. Hence:
//  - moz-extension:// pages are opened without awaiting goto and then polled for readiness;
//  - their URL is remembered by the driver (page.url() stays about:blank);
//  - console output is read from Firefox's stdout (pref devtools.console.stdout.content), which covers every content
//    process: extension pages, the background page, content scripts and web pages.
// With -remote-allow-system-access BiDi also exposes the browser window (moz:scope "chrome"), where privileged script
// can reach the extension's internals: used to terminate the background event page (what about:debugging does).
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import type { ExtensionBrowser, LaunchOptions, PageDriver } from './extension-browser';
import {
  type ContentScriptOutcome,
  type ElementKind,
  bodyTextExpr,
  contentScriptExpr,
  findExpr,
  focusedNameExpr,
  namesExpr,
  popupReadyExpr,
  textOfExpr,
  textPresentExpr,
} from './dom-helpers';
import { FirefoxToolbarPopup, emulateFirefoxColorScheme } from './firefox-toolbar-popup';
import { DEFAULT_TIMEOUT_MS, describeName, findBinary, functionSource, loadBuiltExtension, makeProfileDir, pollUntil, sleep, withTimeout } from './util';

const FIREFOX_CANDIDATES = ['/usr/lib/firefox-esr/firefox-esr', '/usr/bin/firefox-esr', '/usr/lib/firefox/firefox', '/usr/bin/firefox'];

/** The moz-extension UUID, fixed through the extensions.webextensions.uuids pref so URLs are predictable. */
const EXTENSION_UUID = 'b3c1f0e2-5a4d-4c8e-9f7a-6d2e1c0b9a87';

/** Marks the stdout lines our privileged error listener writes. */
const ERROR_PREFIX = 'keyring-harness pageerror: ';

/** The bits of puppeteer's BiDi connection used for raw commands (puppeteer does not expose moz:scope). */
interface BidiConnection {
  send(method: 'browsingContext.getTree', params: object): Promise<{ result: { contexts: { context: string }[] } }>;
  send(
    method: 'script.evaluate',
    params: object,
  ): Promise<{ result: { type: 'success'; result?: { value?: unknown } } | { type: 'exception'; exceptionDetails?: { text?: string } } }>;
}

class FirefoxPage implements PageDriver {
  constructor(
    private readonly page: Page,
    private knownUrl: string,
    private readonly evalChrome: (expression: string) => Promise<unknown>,
  ) {}

  /**
   * Makes this the selected tab before real input. Firefox delivers keys only to the selected tab, and a click in a
   * background tab waits on animation frames it throttles (seconds); Chromium via Playwright has neither problem.
   */
  private async front(): Promise<void> {
    await this.page.bringToFront();
  }

  get url(): string {
    if (this.knownUrl.startsWith('moz-extension:')) return this.knownUrl;
    const reported = this.page.url();
    return reported && reported !== 'about:blank' ? reported : this.knownUrl;
  }

  async goto(url: string): Promise<void> {
    if (url.startsWith('moz-extension:')) {
      this.knownUrl = url;
      await this.openExtensionPage(url, `document.readyState === 'complete'`, `${url} to load`);
      return;
    }
    this.knownUrl = url;
    await this.page.goto(url, { waitUntil: 'load', timeout: DEFAULT_TIMEOUT_MS * 3 });
  }

  /** Starts a navigation to an extension page (never awaited: BiDi does not see it finish) and waits until it is there. */
  async openExtensionPage(url: string, readyExpr: string, what: string): Promise<void> {
    this.knownUrl = url;
    // Never settles for moz-extension:// (see the header comment); no timeout timer, it rejects when the tab closes.
    this.page.goto(url, { timeout: 0 }).catch(() => {});
    const ready = `location.href === ${JSON.stringify(url)} && document.readyState !== 'loading' && (${readyExpr})`;
    await pollUntil(async () => ((await this.page.evaluate(ready)) ? true : undefined), DEFAULT_TIMEOUT_MS, what);
  }

  /** First visible element of `kind` with this accessible name, within `timeoutMs`. */
  private async find(kind: ElementKind, name: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ElementHandle<Element>> {
    try {
      return await pollUntil(() => this.findNow(kind, name), timeoutMs, `${kind} ${describeName(name)}`);
    } catch {
      const seen = await this.page.evaluate(namesExpr(kind)).catch(() => '?');
      throw new Error(`No visible ${kind} named ${describeName(name)} on ${this.url} after ${timeoutMs} ms; visible ${kind}s: ${JSON.stringify(seen)}`);
    }
  }

  /**
   * The DOM-side resolver (dom-helpers) first: it answers in a few ms and treats strings and RegExps alike. A button
   * name it does not match then goes to Firefox's own accessibility tree through ::-p-aria (BiDi
   * browsingContext.locateNodes, type "accessibility"), which works in Firefox 153 but costs 100-300 ms per query, too
   * slow to be the first try. Fields are looked up by label only (as Playwright's getByLabel does in Chromium), so the
   * tree, which also names fields by placeholder, is not asked for them.
   */
  private async findNow(kind: ElementKind, name: string | RegExp): Promise<ElementHandle<Element> | undefined> {
    const handle = await this.page.evaluateHandle(findExpr(kind, name));
    const element = handle.asElement() as ElementHandle<Element> | null;
    if (element) return element;
    await handle.dispose();
    if (typeof name !== 'string' || kind !== 'button') return undefined;
    const quoted = name.trim().replace(/\s+/g, ' ').replace(/\\/g, '\\\\').replace(/"/g, '\\"');
    let found: ElementHandle<Element> | undefined;
    for (const candidate of await this.page.$$(`::-p-aria([name="${quoted}"][role="button"])`)) {
      const usable = !found && (await candidate.evaluate((el) => el.getClientRects().length > 0));
      if (usable) found = candidate;
      else void candidate.dispose().catch(() => {});
    }
    return found;
  }

  async fillByLabel(label: string | RegExp, value: string): Promise<void> {
    const field = await this.find('field', label);
    try {
      await this.front();
      const { tag, selected } = await field.evaluate((el) => {
        (el as HTMLElement).focus();
        let selected = false;
        if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
          try {
            el.select();
            selected = true;
          } catch {
            // some input types refuse selection APIs: fall back to the keyboard
          }
        } else if ((el as HTMLElement).isContentEditable) {
          const range = document.createRange();
          range.selectNodeContents(el);
          const selection = getSelection();
          selection?.removeAllRanges();
          selection?.addRange(range);
          selected = true;
        }
        return { tag: el.tagName, selected };
      });
      if (tag === 'SELECT') throw new Error('fillByLabel does not handle <select>');
      if (!selected) await this.pressKey('Control+A');
      // Replace the selection: typing replaces it; for an empty value delete it.
      if (value === '') await this.page.keyboard.press('Backspace');
      else await this.page.keyboard.type(value);
    } finally {
      await field.dispose();
    }
  }

  async clickButton(name: string | RegExp): Promise<void> {
    const deadline = Date.now() + DEFAULT_TIMEOUT_MS;
    for (;;) {
      const button = await this.find('button', name, Math.max(0, deadline - Date.now()));
      try {
        const disabled = await button.evaluate(isDisabledInPage);
        if (!disabled) {
          await this.front();
          await button.click();
          return;
        }
        if (Date.now() >= deadline) throw new Error(`clickButton(${describeName(name)}): the button stayed disabled for ${DEFAULT_TIMEOUT_MS} ms on ${this.url}`);
      } finally {
        await button.dispose().catch(() => {});
      }
      await sleep(50);
    }
  }

  async pressKey(key: string): Promise<void> {
    await this.front();
    // Puppeteer takes one key at a time: play chords such as 'Shift+Tab' by hand.
    const parts = key === '+' ? ['+'] : key.split('+');
    const main = parts.pop()!;
    type Key = Parameters<Page['keyboard']['press']>[0];
    for (const modifier of parts) await this.page.keyboard.down(modifier as Key);
    try {
      await this.page.keyboard.press(main as Key);
    } finally {
      for (const modifier of parts.reverse()) await this.page.keyboard.up(modifier as Key);
    }
  }

  async typeText(text: string): Promise<void> {
    await this.front();
    await this.page.keyboard.type(text);
  }

  async focusedElementName(): Promise<string> {
    return (await this.page.evaluate(focusedNameExpr())) as string;
  }

  async waitForText(text: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    const expr = textPresentExpr(text);
    try {
      await pollUntil(async () => ((await this.page.evaluate(expr)) ? true : undefined), timeoutMs, `text ${describeName(text)}`);
    } catch {
      const seen = await this.page.evaluate(bodyTextExpr()).catch(() => '?');
      throw new Error(`waitForText(${describeName(text)}) timed out after ${timeoutMs} ms on ${this.url}; page text: ${JSON.stringify(seen)}`);
    }
  }

  async waitForButton(name: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    const button = await this.find('button', name, timeoutMs);
    await button.dispose().catch(() => {});
  }

  async textOf(selector: string): Promise<string> {
    return (await this.page.evaluate(textOfExpr(selector))) as string;
  }

  async inputValue(label: string | RegExp): Promise<string> {
    const field = await this.find('field', label);
    try {
      return await field.evaluate((el) => ('value' in el ? String((el as HTMLInputElement).value) : (el.textContent ?? '')));
    } finally {
      await field.dispose().catch(() => {});
    }
  }

  async isButtonDisabled(name: string | RegExp): Promise<boolean> {
    const button = await this.find('button', name);
    try {
      return await button.evaluate(isDisabledInPage);
    } finally {
      await button.dispose().catch(() => {});
    }
  }

  async evaluate<T>(fn: () => T | Promise<T>): Promise<T> {
    return (await this.page.evaluate(fn)) as T;
  }

  async emulateColorScheme(scheme: 'light' | 'dark'): Promise<void> {
    await emulateFirefoxColorScheme(this.evalChrome, scheme, () => this.page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches));
  }

  async screenshot(path: string, selector?: string): Promise<void> {
    const element = selector ? await this.page.$(selector) : null;
    if (selector && !element) throw new Error(`screenshot: nothing matches ${selector}`);
    if (element) await element.screenshot({ path });
    else await this.page.screenshot({ path });
  }

  async close(): Promise<void> {
    if (!this.page.isClosed()) await withTimeout(this.page.close(), DEFAULT_TIMEOUT_MS, `closing ${this.url}`);
  }
}

function isDisabledInPage(el: Element): boolean {
  if (el.matches(':disabled')) return true;
  const aria = el.closest('[aria-disabled]');
  return !!aria && aria.getAttribute('aria-disabled') === 'true';
}

/**
 * Turns Firefox's stdout console lines (`console.log: "text" 42 ({a:1})`) into "log: text 42 ({a:1})", and our error
 * relay's lines into "pageerror: ...". Multi-line console messages keep their first line only.
 */
function parseConsoleLine(line: string): string | undefined {
  if (line.startsWith(ERROR_PREFIX)) return `pageerror: ${line.slice(ERROR_PREFIX.length)}`;
  const m = /^console\.(\w+): (.*)$/.exec(line);
  if (!m) return undefined;
  const [, level, rest] = m as unknown as [string, string, string];
  // Unquote top-level string arguments, the way Chromium's console text shows them.
  let out = '';
  let i = 0;
  while (i < rest.length) {
    if (rest[i] === '"') {
      const str = /^"(?:[^"\\]|\\.)*"/.exec(rest.slice(i));
      if (str) {
        try {
          // Firefox writes characters outside ASCII as \xHH (below U+0100) or \uHHHH; JSON knows only the latter.
          out += JSON.parse(str[0].replace(/\\(x([0-9A-Fa-f]{2})|[\s\S])/g, (escape, _, hex?: string) => (hex ? `\\u00${hex}` : escape))) as string;
        } catch {
          out += str[0];
        }
        i += str[0].length;
        continue;
      }
    }
    const next = rest.indexOf(' "', i);
    const end = next === -1 ? rest.length : next + 1;
    out += rest.slice(i, end);
    i = end;
  }
  return `${level}: ${out}`;
}

export async function launchFirefox(options: LaunchOptions): Promise<ExtensionBrowser> {
  const executablePath = findBinary('Firefox', 'FIREFOX_BIN', FIREFOX_CANDIDATES);
  const ext = loadBuiltExtension('firefox', options.distDir);
  const geckoId = ext.manifest.browser_specific_settings?.gecko?.id;
  if (!geckoId) throw new Error(`${ext.dir}/manifest.json has no browser_specific_settings.gecko.id`);
  const profile = makeProfileDir('firefox');

  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath,
      headless: true,
      userDataDir: profile.dir,
      args: ['-remote-allow-system-access'],
      protocolTimeout: 60_000,
      timeout: 60_000,
      extraPrefsFirefox: {
        'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: EXTENSION_UUID }),
        'extensions.webextOptionalPermissionPrompts': false,
        'privacy.reduceTimerPrecision': false,
        // console.* of every content process (extension pages, background, content scripts, web pages) on stdout.
        'devtools.console.stdout.content': true,
        'devtools.jsonview.enabled': false,
        ...(options.downloadsDir && {
          'browser.download.dir': options.downloadsDir,
          'browser.download.folderList': 2,
          'browser.download.useDownloadDir': true,
          'browser.download.always_ask_before_handling_new_types': false,
          // The downloads panel would open over the page, and no toolbar popup can open while it shows.
          'browser.download.alwaysOpenPanel': false,
        }),
        ...options.firefoxPrefs,
      },
    });
  } catch (error) {
    profile.remove();
    throw error;
  }

  const messages: string[] = [];
  let pending = '';
  browser.process()?.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const parsed = parseConsoleLine(line);
      if (parsed !== undefined) messages.push(parsed);
    }
  });

  const connection = (browser as unknown as { connection: BidiConnection }).connection;
  let chromeContext: string | undefined;
  /** Evaluates privileged script in the browser window (needs -remote-allow-system-access). */
  const evalChrome = async (expression: string): Promise<unknown> => {
    if (!chromeContext) {
      const tree = await connection.send('browsingContext.getTree', { 'moz:scope': 'chrome', maxDepth: 0 });
      chromeContext = tree.result.contexts[0]?.context;
      if (!chromeContext) throw new Error('No chrome browsing context over BiDi (is -remote-allow-system-access set?)');
    }
    const { result } = await connection.send('script.evaluate', {
      expression,
      target: { context: chromeContext },
      awaitPromise: true,
      resultOwnership: 'none',
    });
    if (result.type === 'exception') throw new Error(`privileged script failed: ${result.exceptionDetails?.text ?? 'unknown error'}`);
    return result.result?.value;
  };

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    const child = browser.process();
    try {
      await withTimeout(browser.close(), 20_000, 'closing Firefox');
    } catch {
      child?.kill('SIGKILL');
    } finally {
      if (child && child.exitCode === null && child.signalCode === null) {
        await new Promise((r) => {
          child.once('exit', r);
          setTimeout(r, 5_000);
        });
      }
      profile.remove();
    }
  };

  try {
    const addonId = await browser.installExtension(ext.dir);
    const policy = `WebExtensionPolicy.getByID(${JSON.stringify(addonId)})`;
    const hostname = (await evalChrome(`${policy}?.mozExtensionHostname ?? null`)) as string | null;
    if (hostname !== EXTENSION_UUID) throw new Error(`The extension UUID pref did not take (got ${String(hostname)})`);
    const extensionOrigin = `moz-extension://${hostname}`;
    const popupUrl = `${extensionOrigin}/${ext.popupPath}`;
    // Uncaught errors (and CSP refusals) of content processes reach the parent's console service, not stdout: relay
    // them there from a listener in the browser window so they arrive in order with the console lines.
    await evalChrome(`(() => {
      if (globalThis.__keyringHarnessErrors) return;
      const listener = {
        observe(message) {
          try {
            if (!(message instanceof Ci.nsIScriptError) || message.isFromChromeContext) return;
            if (message.flags & (Ci.nsIScriptError.warningFlag | Ci.nsIScriptError.infoFlag)) return;
            if (/^chrome/.test(message.category)) return;
            const where = message.sourceName ? ' (' + message.sourceName + ':' + message.lineNumber + ')' : '';
            dump('${ERROR_PREFIX}' + String(message.errorMessage).replace(/\\n/g, ' ') + where + '\\n');
          } catch {}
        },
      };
      Services.console.registerListener(listener);
      globalThis.__keyringHarnessErrors = listener;
    })()`);
    const backgroundState = async () => String(await evalChrome(`String(${policy}?.extension?.backgroundState)`));
    await pollUntil(async () => ((await backgroundState()) === 'running' ? true : undefined), 20_000, 'the background page to start');

    // A quiet extension page (the manifest, which runs no extension code) kept open to call extension APIs from.
    const initialPage = (await browser.pages())[0];
    let control: Promise<FirefoxPage> | undefined;
    let controlRaw: Page | undefined;
    const controlPage = async (): Promise<Page> => {
      const current = control && (await control.catch(() => undefined));
      if (current && controlRaw && !controlRaw.isClosed()) return controlRaw;
      control = (async () => {
        const page = initialPage && !initialPage.isClosed() && initialPage.url() === 'about:blank' ? initialPage : await browser.newPage();
        const driver = new FirefoxPage(page, 'about:blank', evalChrome);
        await driver.openExtensionPage(`${extensionOrigin}/manifest.json`, `typeof browser === 'object' && !!browser.storage`, 'the control page');
        controlRaw = page;
        return driver;
      })();
      await control;
      return controlRaw!;
    };

    const result: ExtensionBrowser = {
      kind: 'firefox',
      extensionOrigin,
      extensionId: addonId,

      async openPopup() {
        const page = await browser.newPage();
        const driver = new FirefoxPage(page, popupUrl, evalChrome);
        try {
          await driver.openExtensionPage(popupUrl, popupReadyExpr(), 'the popup to render into #app');
        } catch (error) {
          throw new Error(`${(error as Error).message} (${popupUrl}). Console: ${messages.slice(-10).join(' | ')}`, { cause: error });
        }
        return driver;
      },

      async openToolbarPopup({ rendered = true } = {}) {
        const control = await controlPage();
        const failed = (await control.evaluate(`browser.action.openPopup().then(() => '', (e) => String(e && e.message || e))`)) as string;
        if (failed) throw new Error(`action.openPopup() failed: ${failed}`);
        const ready = `(() => { const w = browser.extension.getViews({ type: 'popup' })[0]; return !!w && ${rendered ? popupReadyExpr('w') : 'true'}; })()`;
        // Clicks at the popup's place miss while its panel is still opening (it slides in), so wait for 'open' too.
        const shown = `document.querySelector('browser.webextension-popup-browser')?.closest('panel')?.state === 'open'`;
        try {
          await pollUntil(async () => ((await control.evaluate(ready)) ? true : undefined), DEFAULT_TIMEOUT_MS, 'the toolbar popup to render into #app');
          if (rendered) await pollUntil(async () => ((await evalChrome(shown)) ? true : undefined), DEFAULT_TIMEOUT_MS, 'the toolbar popup panel to be shown');
        } catch (error) {
          throw new Error(`${(error as Error).message}. Console: ${messages.slice(-10).join(' | ')}`, { cause: error });
        }
        return new FirefoxToolbarPopup(control, evalChrome, popupUrl);
      },

      async answerPermissionPrompt(answer: 'allow' | 'deny', timeoutMs = DEFAULT_TIMEOUT_MS) {
        // The doorhanger's main button allows, its secondary one ("Don't allow") denies, as a person's click would.
        const button = answer === 'allow' ? 'button' : 'secondaryButton';
        await pollUntil(
          async () =>
            (await evalChrome(`(() => {
              const prompt = PopupNotifications.panel.state === 'open' && PopupNotifications.panel.querySelector('popupnotification');
              if (!prompt) return false;
              prompt.${button}.click();
              return true;
            })()`))
              ? true
              : undefined,
          timeoutMs,
          'the permission prompt',
        );
      },

      async openPage(url: string) {
        const page = await browser.newPage();
        const driver = new FirefoxPage(page, url, evalChrome);
        await driver.goto(url);
        return driver;
      },

      async waitForTab(match: (url: string) => boolean, timeoutMs = DEFAULT_TIMEOUT_MS) {
        const found = async () => (await browser.pages()).find((page) => !page.isClosed() && match(page.url()));
        const page = await pollUntil(found, timeoutMs, 'a tab with a matching URL').catch(async (error: unknown) => {
          const open = (await browser.pages()).filter((candidate) => !candidate.isClosed()).map((candidate) => candidate.url());
          throw new Error(`${(error as Error).message}; open tabs: ${JSON.stringify(open)}`, { cause: error });
        });
        return new FirefoxPage(page, page.url(), evalChrome);
      },

      async tabUrls() {
        return (await browser.pages()).filter((page) => !page.isClosed()).map((page) => page.url());
      },

      async runInContentScript<T, A extends unknown[] = []>(pageUrl: string, fn: (...args: A) => T | Promise<T>, ...args: A): Promise<T> {
        const page = await controlPage();
        const outcome = (await page.evaluate(contentScriptExpr(pageUrl, functionSource(fn), args))) as ContentScriptOutcome<T>;
        if (!outcome.ok) throw new Error(`runInContentScript(${pageUrl}): ${outcome.error}`);
        return outcome.value;
      },

      async stopBackground() {
        if ((await backgroundState()) === 'stopped') return;
        await evalChrome(`${policy}.extension.terminateBackground({ ignoreDevToolsAttached: true })`);
        await pollUntil(async () => ((await backgroundState()) === 'stopped' ? true : undefined), 10_000, 'the background page to stop');
      },

      async readStorageLocal() {
        const page = await controlPage();
        return (await page.evaluate('browser.storage.local.get(null)')) as Record<string, unknown>;
      },

      async evaluateInExtensionPage<T, A extends unknown[] = []>(fn: (...args: A) => T | Promise<T>, ...args: A): Promise<T> {
        const page = await controlPage();
        return (await page.evaluate(`${functionSource(fn)}(...${JSON.stringify(args)})`)) as T;
      },

      consoleMessages: () => [...messages],
      close,
    };
    return result;
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}
