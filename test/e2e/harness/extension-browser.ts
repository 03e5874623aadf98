// One interface over real headless Chromium (playwright-core, CDP) and Firefox (puppeteer-core, WebDriver BiDi) with
// the built test extension loaded, so end-to-end specs are written once:
//
//   describe.each(BROWSER_KINDS)('%s', (kind) => {
//     let browser: ExtensionBrowser;
//     beforeAll(async () => { browser = await launchExtensionBrowser(kind); });
//     afterAll(async () => { await browser?.close(); });
//     ...
//   });
//
// Build first: node scripts/build.mjs --test (dist/test/chrome, dist/test/firefox). See README.md next to this file.

export type BrowserKind = 'chromium' | 'firefox';

export const BROWSER_KINDS: readonly BrowserKind[] = ['chromium', 'firefox'];

/**
 * One tab. Names are accessible names: a string matches the whole name exactly (case-sensitive, whitespace
 * trimmed/collapsed); a RegExp is tested against it. Waits and actions give up after 10 s unless told otherwise.
 */
export interface PageDriver {
  /** URL of the tab (Firefox: for extension pages, the URL it was opened at; BiDi does not report their navigations). */
  readonly url: string;
  /** Navigates to an http(s) page and waits for `load`. For extension pages use ExtensionBrowser.openPopup. */
  goto(url: string): Promise<void>;
  /** Focuses the text field with this accessible name (label), selects its content and replaces it with `value`. */
  fillByLabel(label: string | RegExp, value: string): Promise<void>;
  /** Waits for the button to be visible and enabled, then clicks it with real mouse input (a user gesture). */
  clickButton(name: string | RegExp): Promise<void>;
  /** Presses one key, e.g. 'Tab', 'Enter', 'Escape', or a chord such as 'Shift+Tab'. */
  pressKey(key: string): Promise<void>;
  /** Types text with real key events into the focused element. */
  typeText(text: string): Promise<void>;
  /** Accessible name (or text) of document.activeElement; '' when nothing but the body has focus. */
  focusedElementName(): Promise<string>;
  /** Waits until the page's visible text (body.innerText) contains `text` / matches the RegExp. */
  waitForText(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Waits until a visible button with this accessible name exists. */
  waitForButton(name: string | RegExp, timeoutMs?: number): Promise<void>;
  /** textContent of the first element matching the CSS selector, '' if none (does not wait). */
  textOf(selector: string): Promise<string>;
  /** Current value of the text field with this accessible name (waits for the field). */
  inputValue(label: string | RegExp): Promise<string>;
  /** Whether the button (disabled attribute, disabled fieldset or aria-disabled) is disabled (waits for the button). */
  isButtonDisabled(name: string | RegExp): Promise<boolean>;
  /**
   * Runs `fn` in the page's main world and returns its awaited, serializable result. `fn` is sent as source text:
   * it must not use variables from the test file. On an extension page it can use `chrome` / `browser`.
   */
  evaluate<T>(fn: () => T | Promise<T>): Promise<T>;
  /** Makes the page see `prefers-color-scheme: <scheme>`, as if the system were set so. */
  emulateColorScheme(scheme: 'light' | 'dark'): Promise<void>;
  /** The whole tab, or with `selector` only that element (e.g. 'body' of the 360 px popup). */
  screenshot(path: string, selector?: string): Promise<void>;
  close(): Promise<void>;
}

/** How a person closes the toolbar popup without using it. */
export type PopupDismissal = 'escape' | 'click-outside';

/**
 * The ways each browser's popup can be closed from here. Headless Chromium does not deliver Escape to the popup's
 * window (CDP key events go to the page, and the popup's host is what closes on Escape), so there only a click
 * outside is played, as the tab under the popup taking focus. Headless Firefox gets the real Escape key; for a click
 * outside it gets the click, and the harness then hides the panel as a desktop's rollup would (headless has none).
 */
export const POPUP_DISMISSALS: Record<BrowserKind, readonly PopupDismissal[]> = {
  chromium: ['click-outside'],
  firefox: ['escape', 'click-outside'],
};

/** The popup's layout viewport and what its document needs, in CSS pixels. */
export interface PopupSize {
  width: number;
  height: number;
  scrollWidth: number;
  scrollHeight: number;
  /** Visible elements reaching past the left or right edge (tag.class), for error messages; [] when none. */
  outsideHorizontally: string[];
}

/**
 * The real toolbar popup (the one `action.openPopup()` shows under the toolbar button, sized to its content, at most
 * 800x600), with trusted input in both browsers. Lookups and waits behave as in PageDriver. `evaluate` runs `fn`
 * with the popup's globals (`document`, `window`, `browser`/`chrome`, `getComputedStyle`, ...): in Firefox it runs
 * in the control tab with those names bound to the popup's window, so use them rather than other globals.
 * `close` closes it the quickest way a person could (no-op when closed already).
 */
export interface ToolbarPopupDriver extends Omit<PageDriver, 'goto'> {
  /** False once the browser closed it (Escape, a click outside, a prompt, a tab taking focus...). */
  isOpen(): Promise<boolean>;
  waitUntilClosed(timeoutMs?: number): Promise<void>;
  /** Closes it as a person would (see POPUP_DISMISSALS for what each browser supports) and waits until it is closed. */
  dismiss(how: PopupDismissal): Promise<void>;
  measure(): Promise<PopupSize>;
}

export interface ExtensionBrowser {
  readonly kind: BrowserKind;
  /** chrome-extension://<id> or moz-extension://<uuid> (no trailing slash). */
  readonly extensionOrigin: string;
  /** The extension id as `runtime.id` reports it: the Chromium id, or the gecko id in Firefox. */
  readonly extensionId: string;
  /** The popup page (manifest action.default_popup) opened in a new tab, once #app has children. */
  openPopup(): Promise<PageDriver>;
  /**
   * Opens the real toolbar popup with `action.openPopup()` (called from the control tab) and resolves once #app has
   * children, or with `{ rendered: false }` as soon as its document exists (to type before the popup is ready). Fails
   * while another popup (or, in Chromium, a permission prompt) is open: one at a time.
   */
  openToolbarPopup(options?: { rendered?: boolean }): Promise<ToolbarPopupDriver>;
  /**
   * Answers the browser's own host-permission prompt as a person would, once it shows (waits for it). Firefox only,
   * and only when launched with `extensions.webextOptionalPermissionPrompts: true` (otherwise the harness lets Firefox
   * allow every request without asking); headless Chromium cannot answer its prompt at all (it throws).
   */
  answerPermissionPrompt(answer: 'allow' | 'deny', timeoutMs?: number): Promise<void>;
  /**
   * A normal web page in a new tab, after `load`. The tab opens in the background, so an open toolbar popup stays
   * open (Chromium closes it when a tab comes to the front).
   */
  openPage(url: string): Promise<PageDriver>;
  /** A tab the test did not open itself (the extension did), once its URL matches. */
  waitForTab(match: (url: string) => boolean, timeoutMs?: number): Promise<PageDriver>;
  /** The URLs of the open tabs, for telling whether one has closed. */
  tabUrls(): Promise<string[]>;
  /**
   * Runs `fn` as a content script (isolated world) in the top frame of the tab showing `pageUrl` (open it with openPage
   * first), via scripting.executeScript from an extension page, and returns its awaited result. Messages it sends with
   * runtime.sendMessage come from a real content script of that tab. `fn` is sent as source text (no closures); a
   * throw inside it rejects with its message. The result must survive structured clone/JSON. Extra `args` (JSON
   * values) are passed to `fn`, since it cannot close over test variables.
   */
  runInContentScript<T, A extends unknown[] = []>(pageUrl: string, fn: (...args: A) => T | Promise<T>, ...args: A): Promise<T>;
  /**
   * Stops the background so the next event has to start it again. Chromium: CDP ServiceWorker.stopWorker. Firefox:
   * the event page is terminated like about:debugging's "Terminate Background Script" does (privileged script in the
   * browser window over BiDi: WebExtensionPolicy.getByID(id).extension.terminateBackground()). Resolves once stopped.
   */
  stopBackground(): Promise<void>;
  /** Everything in storage.local, read from an extension page. */
  readStorageLocal(): Promise<Record<string, unknown>>;
  /**
   * Runs `fn` on a quiet extension page (one that runs no extension code, so nothing of the extension wakes up) and
   * returns its awaited, serializable result: for reading what the extension stored (storage areas, IndexedDB,
   * registered scripts). `fn` is sent as source text (no closures); extra `args` (JSON values) are passed to it.
   */
  evaluateInExtensionPage<T, A extends unknown[] = []>(fn: (...args: A) => T | Promise<T>, ...args: A): Promise<T>;
  /**
   * Console output so far, as "<level>: <text>". Chromium: every tab of the browser (extension pages, web pages and
   * their content scripts) plus the service worker, and uncaught page errors as "pageerror: ...". Firefox: every
   * content process (extension pages, background page, content scripts, web pages) via devtools.console.stdout.content.
   */
  consoleMessages(): string[];
  /** Closes the browser (killing it if it does not exit) and removes the temporary profile. Safe to call twice. */
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** The built extension folder, or a folder holding chrome/ and firefox/. Default: <repo>/dist/test. */
  distDir?: string;
  /** Extra Firefox preferences (ignored by Chromium), e.g. a short `extensions.background.idle.timeout`. */
  firefoxPrefs?: Record<string, string | number | boolean>;
  /**
   * Where downloads land, without a dialog. Chromium names each file by its download's GUID (Playwright's
   * downloadsPath; its download events would miss a tab that downloads while Playwright is still attaching to it);
   * Firefox, through its download preferences, by the name the page gave it.
   */
  downloadsDir?: string;
}

export async function launchExtensionBrowser(kind: BrowserKind, options: LaunchOptions = {}): Promise<ExtensionBrowser> {
  const started = Date.now();
  let browser: ExtensionBrowser;
  switch (kind) {
    case 'chromium': {
      const { launchChromium } = await import('./chromium');
      browser = await launchChromium(options);
      break;
    }
    case 'firefox': {
      const { launchFirefox } = await import('./firefox');
      browser = await launchFirefox(options);
      break;
    }
    default:
      throw new Error(`Unknown browser kind: ${String(kind)}`);
  }
  if (!process.env.KEYRING_E2E_TRACE) return browser;
  trace(kind, 'launch', [], started);
  return traced(kind, browser);
}

// KEYRING_E2E_TRACE=1 logs every harness call with its duration to stderr (to find what a slow or stuck spec waits on).
function trace(kind: BrowserKind, name: string, args: unknown[], started: number, failed?: unknown): void {
  const shown = args.map((a) => (typeof a === 'function' ? 'fn' : a instanceof RegExp ? String(a) : JSON.stringify(a))).join(', ');
  const outcome = failed ? ` FAILED: ${failed instanceof Error ? failed.message.split('\n')[0] : String(failed)}` : '';
  process.stderr.write(`[e2e ${kind}] ${name}(${shown}) ${Date.now() - started} ms${outcome}\n`);
}

function traced<T extends object>(kind: BrowserKind, target: T): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== 'function' || prop === 'consoleMessages') return value;
      return async (...args: unknown[]) => {
        const started = Date.now();
        try {
          const result = (await (value as (...a: unknown[]) => unknown).apply(obj, args)) as unknown;
          trace(kind, String(prop), args, started);
          // Pages come back from openPopup/openPage: trace them too.
          return result && typeof result === 'object' && 'clickButton' in result ? traced(kind, result as object) : result;
        } catch (error) {
          trace(kind, String(prop), args, started, error);
          throw error;
        }
      };
    },
  });
}
