// Firefox's real toolbar popup, driven without WebDriver BiDi reaching it.
//
// BiDi does not list the popup's browsing context (script.evaluate on it answers "no such frame"; input and
// screenshots refuse chrome scope), so:
//  - its DOM is read from the control tab, an extension page in the same process, where
//    browser.extension.getViews({ type: 'popup' })[0] is the popup's window;
//  - input is trusted input made by privileged script in the browser window (BiDi moz:scope "chrome"): mouse events
//    synthesized at the popup's <browser class="webextension-popup-browser"> plus the element's place in it, keys
//    through nsITextInputProcessor, which Firefox delivers to the focused popup as if typed;
//  - screenshots are the popup's own rendering, WindowGlobalParent.drawSnapshot.
// Events dispatched from script in the popup would be untrusted: permissions.request refuses them.
import { writeFile } from 'node:fs/promises';
import type { Page } from 'puppeteer-core';
import type { PopupDismissal, PopupSize, ToolbarPopupDriver } from './extension-browser';
import { type ElementKind, bodyTextExpr, focusedNameExpr, helpersExpr, namesExpr, nameSpec, popupSizeExpr, textOfExpr, textPresentExpr } from './dom-helpers';
import { DEFAULT_TIMEOUT_MS, describeName, functionSource, pollUntil, sleep } from './util';

/** The popup's window, as an expression on the control tab (undefined once it closed). */
const POPUP = `browser.extension.getViews({ type: 'popup' })[0]`;

/** In the browser window: the <browser> element showing the popup. */
const POPUP_BROWSER = `document.querySelector('browser.webextension-popup-browser')`;

/** Globals a spec's `evaluate` function may use, bound to the popup's window (see ToolbarPopupDriver). */
const POPUP_GLOBALS = [
  'document', 'location', 'navigator', 'browser', 'chrome', 'getComputedStyle', 'matchMedia', 'getSelection', 'innerWidth',
  'innerHeight', 'Node', 'Element', 'HTMLElement', 'HTMLInputElement', 'HTMLTextAreaElement', 'HTMLImageElement', 'Event',
  'KeyboardEvent', 'console', 'localStorage', 'sessionStorage',
];

/** keyCode for the named keys specs press (nsITextInputProcessor wants it for non-printable keys). */
const KEY_CODES: Record<string, number> = {
  Backspace: 8, Tab: 9, Enter: 13, Shift: 16, Control: 17, Alt: 18, Escape: 27, ' ': 32, End: 35, Home: 36,
  ArrowLeft: 37, ArrowUp: 38, ArrowRight: 39, ArrowDown: 40, Delete: 46,
};

interface Target {
  x: number;
  y: number;
  disabled: boolean;
}

/**
 * Makes Firefox's pages see `prefers-color-scheme: <scheme>`. BiDi has no media emulation; these prefs are what
 * Firefox's own settings change (0 dark, 1 light): the content override for tabs, the toolbar theme for the toolbar
 * popup, which follows the toolbar. They reach a page's process a moment later, so this waits until `isDark` (asked of
 * that page) agrees.
 */
export async function emulateFirefoxColorScheme(
  evalChrome: (expression: string) => Promise<unknown>,
  scheme: 'light' | 'dark',
  isDark: () => Promise<boolean>,
): Promise<void> {
  const value = scheme === 'dark' ? 0 : 1;
  await evalChrome(`Services.prefs.setIntPref('layout.css.prefers-color-scheme.content-override', ${value}); Services.prefs.setIntPref('browser.theme.toolbar-theme', ${value})`);
  const dark = scheme === 'dark';
  await pollUntil(async () => ((await isDark()) === dark ? true : undefined), DEFAULT_TIMEOUT_MS, `the ${scheme} colour scheme`);
}

export class FirefoxToolbarPopup implements ToolbarPopupDriver {
  constructor(
    private readonly control: Page,
    private readonly evalChrome: (expression: string) => Promise<unknown>,
    readonly url: string,
  ) {}

  /** Evaluates `body` on the control tab with `w` bound to the popup's window; throws once the popup is closed. */
  private async inPopup<T>(body: string): Promise<T> {
    return (await this.control.evaluate(`(() => {
      const w = ${POPUP};
      if (!w) throw new Error('the toolbar popup is closed');
      return ${body};
    })()`)) as T;
  }

  async isOpen(): Promise<boolean> {
    return (await this.control.evaluate(`!!${POPUP}`)) as boolean;
  }

  async waitUntilClosed(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    await pollUntil(async () => ((await this.isOpen()) ? undefined : true), timeoutMs, 'the toolbar popup to close');
  }

  async dismiss(how: PopupDismissal): Promise<void> {
    if (how === 'escape') await this.pressKey('Escape');
    // A click on the page away from the popup, which hangs from the toolbar's right end. On a desktop the widget layer
    // rolls the panel up on that mousedown; headless Firefox's widget has no rollup, so the panel is then hidden the
    // way rollup hides it.
    else await this.evalChrome(`(() => {
      const x = 10, y = window.innerHeight - 10;
      for (const type of ['mousedown', 'mouseup']) window.synthesizeMouseEvent(type, x, y, { button: 0 }, { isDOMEventSynthesized: false });
      ${POPUP_BROWSER}?.closest('panel')?.hidePopup();
    })()`);
    await this.waitUntilClosed();
  }

  async measure(): Promise<PopupSize> {
    return this.inPopup<PopupSize>(popupSizeExpr('w'));
  }

  /** Scrolls the element into view and returns its centre in the popup's coordinates. */
  private async locate(kind: ElementKind, name: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Target> {
    const expr = `(() => {
      const h = ${helpersExpr('w')};
      const el = h.find(${JSON.stringify(kind)}, ${JSON.stringify(nameSpec(name))});
      if (!el) return undefined;
      el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      const r = el.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2, disabled: h.isDisabled(el) };
    })()`;
    try {
      return await pollUntil(() => this.inPopup<Target | undefined>(expr), timeoutMs, `${kind} ${describeName(name)}`);
    } catch (error) {
      const seen = await this.inPopup(namesExpr(kind, 'w')).catch(() => '?');
      throw new Error(`No visible ${kind} named ${describeName(name)} in the toolbar popup after ${timeoutMs} ms; visible ${kind}s: ${JSON.stringify(seen)}`, {
        cause: error,
      });
    }
  }

  private async clickAt(target: Target): Promise<void> {
    await this.evalChrome(`(() => {
      const popup = ${POPUP_BROWSER};
      if (!popup) throw new Error('the toolbar popup is closed');
      const box = popup.getBoundingClientRect();
      const x = box.x + ${target.x}, y = box.y + ${target.y};
      for (const type of ['mousedown', 'mouseup']) window.synthesizeMouseEvent(type, x, y, { button: 0 }, { isDOMEventSynthesized: false });
    })()`);
  }

  /**
   * Types into whatever has focus in the popup: each entry a key or a chord ('Shift+Tab'), modifiers held around it.
   * Firefox hands the keys to the popup's process asynchronously, so this waits until the popup has seen every keyup
   * (counted by a listener), unless the popup closes meanwhile.
   */
  private async sendKeys(chords: string[]): Promise<void> {
    const keyups = () => this.inPopup<number>(`(() => {
      if (w.__keyringKeyups === undefined) {
        w.__keyringKeyups = 0;
        w.addEventListener('keyup', () => { w.__keyringKeyups += 1; }, true);
      }
      return w.__keyringKeyups;
    })()`);
    const before = await keyups();
    const split = chords.map((chord) => (chord.length === 1 ? [chord] : chord.split('+')));
    // A desktop gives the opened popup keyboard focus; headless Firefox leaves it on the window, so keys would go nowhere.
    const typed = (await this.evalChrome(`(() => {
      const popup = ${POPUP_BROWSER};
      if (popup && Services.focus.focusedElement !== popup) popup.focus();
      const tip = Cc['@mozilla.org/text-input-processor;1'].createInstance(Ci.nsITextInputProcessor);
      if (!tip.beginInputTransactionForTests(window)) return -1;
      const codes = ${JSON.stringify(KEY_CODES)};
      const MODIFIERS = ['Shift', 'Control', 'Alt', 'Meta'];
      const event = (key) => new KeyboardEvent('', key.length === 1 && key !== ' ' ? { key }
        : { key, code: key === ' ' ? 'Space' : MODIFIERS.includes(key) ? key + 'Left' : key, keyCode: codes[key] ?? 0 });
      let ups = 0;
      for (const keys of ${JSON.stringify(split)}) {
        for (const key of keys) tip.keydown(event(key));
        for (const key of [...keys].reverse()) { tip.keyup(event(key)); ups += 1; }
      }
      return ups;
    })()`)) as number;
    if (typed < 0) throw new Error('nsITextInputProcessor refused the input transaction');
    await pollUntil(
      async () => {
        if (!(await this.isOpen())) return true;
        return (await keyups()) >= before + typed ? true : undefined;
      },
      DEFAULT_TIMEOUT_MS,
      `the toolbar popup to receive ${chords.join(', ')}`,
    );
  }

  async fillByLabel(label: string | RegExp, value: string): Promise<void> {
    await this.locate('field', label);
    await this.inPopup(`(() => {
      const el = ${helpersExpr('w')}.find('field', ${JSON.stringify(nameSpec(label))});
      el.focus();
      if (typeof el.select === 'function') el.select();
    })()`);
    await this.sendKeys(value === '' ? ['Backspace'] : [...value]);
    const field = `${helpersExpr('w')}.find('field', ${JSON.stringify(nameSpec(label))})`;
    await pollUntil(async () => ((await this.inPopup(`${field}.value`)) === value ? true : undefined), DEFAULT_TIMEOUT_MS, `${describeName(label)} to hold what was typed`);
  }

  /**
   * Waits until the popup's panel has kept its place and size for a moment. The panel follows the content's size a
   * little later (opening, or a view that grows): a click computed from an old place would land beside the button.
   */
  private async steady(): Promise<void> {
    const settled = await this.evalChrome(`(async () => {
      const popup = ${POPUP_BROWSER};
      if (!popup) throw new Error('the toolbar popup is closed');
      let last = '';
      for (let tries = 0; tries < 40; tries++) {
        const r = popup.getBoundingClientRect();
        const now = [r.x, r.y, r.width, r.height].join();
        if (now === last && popup.closest('panel')?.state === 'open') return true;
        last = now;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return false;
    })()`);
    if (!settled) throw new Error('The toolbar popup kept moving or resizing for 2 s');
  }

  async clickButton(name: string | RegExp): Promise<void> {
    const deadline = Date.now() + DEFAULT_TIMEOUT_MS;
    for (;;) {
      await this.locate('button', name, Math.max(0, deadline - Date.now()));
      await this.steady();
      const target = await this.locate('button', name, Math.max(0, deadline - Date.now()));
      if (!target.disabled) return this.clickAt(target);
      if (Date.now() >= deadline) throw new Error(`clickButton(${describeName(name)}): the button stayed disabled for ${DEFAULT_TIMEOUT_MS} ms in the toolbar popup`);
      await sleep(50);
    }
  }

  async pressKey(key: string): Promise<void> {
    await this.sendKeys([key]);
  }

  async typeText(text: string): Promise<void> {
    await this.sendKeys([...text]);
  }

  async focusedElementName(): Promise<string> {
    return this.inPopup<string>(focusedNameExpr('w'));
  }

  async waitForText(text: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    try {
      await pollUntil(async () => ((await this.inPopup<boolean>(textPresentExpr(text, 'w'))) ? true : undefined), timeoutMs, `text ${describeName(text)}`);
    } catch (error) {
      const seen = await this.inPopup(bodyTextExpr(500, 'w')).catch(() => '(popup closed)');
      throw new Error(`waitForText(${describeName(text)}) timed out after ${timeoutMs} ms in the toolbar popup; its text: ${JSON.stringify(seen)}`, { cause: error });
    }
  }

  async waitForButton(name: string | RegExp, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    await this.locate('button', name, timeoutMs);
  }

  async textOf(selector: string): Promise<string> {
    return this.inPopup<string>(textOfExpr(selector, 'w'));
  }

  async inputValue(label: string | RegExp): Promise<string> {
    await this.locate('field', label);
    return this.inPopup<string>(`(() => {
      const el = ${helpersExpr('w')}.find('field', ${JSON.stringify(nameSpec(label))});
      return 'value' in el ? String(el.value) : (el.textContent || '');
    })()`);
  }

  async isButtonDisabled(name: string | RegExp): Promise<boolean> {
    return (await this.locate('button', name)).disabled;
  }

  async evaluate<T>(fn: () => T | Promise<T>): Promise<T> {
    const bindings = POPUP_GLOBALS.map((name) => `const ${name} = w.${name};`).join(' ');
    return this.inPopup<T>(`(() => { const window = w, self = w, globalThis = w; ${bindings} return ${functionSource(fn)}(); })()`);
  }

  async emulateColorScheme(scheme: 'light' | 'dark'): Promise<void> {
    await emulateFirefoxColorScheme(this.evalChrome, scheme, () => this.inPopup<boolean>(`w.matchMedia('(prefers-color-scheme: dark)').matches`));
  }

  async screenshot(path: string, selector?: string): Promise<void> {
    const rect = selector
      ? await this.inPopup<{ x: number; y: number; width: number; height: number } | null>(`(() => {
          const el = w.document.querySelector(${JSON.stringify(selector)});
          if (!el) return null;
          const r = el.getBoundingClientRect();
          return { x: r.x, y: r.y, width: r.width, height: r.height };
        })()`)
      : null;
    if (selector && !rect) throw new Error(`screenshot: nothing matches ${selector} in the toolbar popup`);
    const png = (await this.evalChrome(`(async () => {
      const popup = ${POPUP_BROWSER};
      if (!popup) throw new Error('the toolbar popup is closed');
      const rect = ${rect ? `new DOMRect(${rect.x}, ${rect.y}, ${rect.width}, ${rect.height})` : 'null'};
      const bitmap = await popup.browsingContext.currentWindowGlobal.drawSnapshot(rect, 1, 'white');
      const canvas = document.createElementNS('http://www.w3.org/1999/xhtml', 'canvas');
      canvas.width = bitmap.width;
      canvas.height = bitmap.height;
      canvas.getContext('2d').drawImage(bitmap, 0, 0);
      return canvas.toDataURL('image/png');
    })()`)) as string;
    await writeFile(path, Buffer.from(png.slice(png.indexOf(',') + 1), 'base64'));
  }

  async close(): Promise<void> {
    if (!(await this.isOpen())) return;
    await this.pressKey('Escape');
    // Another panel on top (the downloads panel after a download) takes the Escape for itself.
    const closed = await pollUntil(async () => ((await this.isOpen()) ? undefined : true), 2_000, 'Escape to close the popup').catch(() => false);
    if (!closed) await this.dismiss('click-outside');
  }
}
