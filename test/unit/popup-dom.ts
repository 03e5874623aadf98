// The real popup (App and its steps) rendered in happy-dom, wired like popup.tsx to the fake browser,
// whose runtime.sendMessage reaches the real message router: one process, every layer of the
// extension, real HTTP to the fake Zulip server. Driven as a person would: labels, buttons, the alert.
import { Window } from 'happy-dom';
import { h, render } from 'preact';
import browser from 'webextension-polyfill';
import { createMessageRouter } from '../../src/background/messaging/message-router';
import { App } from '../../src/popup/App';
import { createDraftStore } from '../../src/shared/popup-draft';
import { createHostPermissions, promptClosesPopup } from '../../src/popup/host-permission';
import { t } from '../../src/shared/i18n';
import { captureTypeAhead } from '../../src/popup/type-ahead';
import { send } from '../../src/shared/message-client';
import { createTestDeps } from './background-deps';
import { EXTENSION_ID, EXTENSION_ORIGIN } from './fake-browser';

type BackgroundOptions = Parameters<typeof createTestDeps>[0];

/** Starts the background: its router answers the fake browser's runtime.sendMessage. Returns its dependencies. */
export function startBackground(options: BackgroundOptions = {}) {
  const deps = createTestDeps(options);
  const route = createMessageRouter(deps, { id: EXTENSION_ID, baseUrl: `${EXTENSION_ORIGIN}/` });
  browser.runtime.onMessage.addListener((message: unknown, sender: Parameters<typeof route>[1]) => route(message, sender));
  return deps;
}

export interface PopupDom {
  /** Waits for the field labelled `label`, then types into it, as one input event. */
  fill(label: string, value: string): Promise<void>;
  /** Waits for the button whose text is `name`, then clicks it; a disabled button ignores the click, as in a browser. */
  click(name: string): Promise<void>;
  /**
   * Presses keys wherever the focus is (the page itself when nothing has it), one keydown each, '\n' being Enter;
   * what the page does not take, the browser does: a character goes into a focused field, Enter submits its form.
   */
  typeKeys(text: string): void;
  /** Submits the form that holds the field labelled `label`, as Enter in that field would. */
  submitFrom(label: string): void;
  field(label: string): HTMLInputElement | null;
  button(name: string): HTMLButtonElement | null;
  /** The element focused, or null. */
  focused(): Element | null;
  /** The text of the alert, or null when none is shown. */
  alert(): string | null;
  /** The values of every password field on the page. */
  passwordValues(): string[];
  text(): string;
  /** Polls until `probe` returns something other than null, undefined or false. */
  waitFor<T>(probe: () => T | null | undefined | false, what: string, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** One popup at a time, as the toolbar has: reopening closes the one open before. */
export function popupOpener() {
  let current: PopupDom | undefined;
  return {
    async reopen(): Promise<PopupDom> {
      await current?.close();
      current = await openPopup();
      return current;
    },
    async close(): Promise<void> {
      await current?.close();
      current = undefined;
    },
    /** The popup open now, if one is. */
    open: (): PopupDom | undefined => current,
  };
}

export async function openPopup(): Promise<PopupDom> {
  const window = new Window({ url: `${EXTENSION_ORIGIN}/src/popup/popup.html` });
  const document = window.document as unknown as Document;
  const root = document.createElement('div');
  document.body.appendChild(root);
  const hostPermissions = createHostPermissions(browser.permissions, { promptClosesPopup: promptClosesPopup(browser.runtime.getURL('')) });
  await hostPermissions.refresh();
  const drafts = createDraftStore(browser.storage.session);
  // A closed popup's code is gone with it: the replies to what it sent reach nobody.
  let closed = false;
  const sendUntilClosed = ((request) => send(request).then((reply) => (closed ? new Promise(() => {}) : reply))) as typeof send;
  render(h(App, { deps: { hostPermissions, drafts, send: sendUntilClosed, t, typeAhead: captureTypeAhead(document) } }), root);

  const normalise = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();
  const field = (label: string): HTMLInputElement | null => {
    const element = [...document.querySelectorAll('label')].find((candidate) => normalise(candidate.textContent) === label);
    const input = element ? document.getElementById(element.htmlFor) : null;
    return input instanceof window.HTMLInputElement ? (input as unknown as HTMLInputElement) : null;
  };
  const button = (name: string) =>
    [...document.querySelectorAll('button')].find((candidate) => normalise(candidate.textContent) === name) ?? null;

  const popup: PopupDom = {
    async fill(label, value) {
      const input = await popup.waitFor(() => field(label), `a field labelled "${label}"`);
      input.value = value;
      input.dispatchEvent(new window.Event('input', { bubbles: true }) as unknown as Event);
    },
    async click(name) {
      (await popup.waitFor(() => button(name), `a button "${name}"`)).click();
    },
    typeKeys(text) {
      for (const character of text) {
        const key = character === '\n' ? 'Enter' : character;
        const target = (document.activeElement ?? document.body) as HTMLElement;
        const event = new window.KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }) as unknown as KeyboardEvent;
        if (!target.dispatchEvent(event) || !(target instanceof window.HTMLInputElement)) continue;
        const input = target as unknown as HTMLInputElement;
        if (key === 'Enter') {
          input.form?.requestSubmit();
        } else {
          input.value += key;
          input.dispatchEvent(new window.Event('input', { bubbles: true }) as unknown as Event);
        }
      }
    },
    submitFrom(label) {
      field(label)?.form?.dispatchEvent(new window.Event('submit', { bubbles: true, cancelable: true }) as unknown as Event);
    },
    field,
    button,
    focused() {
      return document.activeElement;
    },
    alert() {
      const element = document.querySelector('[role="alert"]');
      return element ? normalise(element.textContent) : null;
    },
    passwordValues() {
      return [...document.querySelectorAll<HTMLInputElement>('input[type="password"]')].map((input) => input.value);
    },
    text() {
      return normalise(document.body.textContent);
    },
    async waitFor(probe, what, timeoutMs = 5_000) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const value = probe();
        if (value !== null && value !== undefined && value !== false) return value;
        if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}; the popup shows: ${normalise(document.body.textContent)}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    async close() {
      closed = true;
      render(null, root);
      await window.happyDOM.close();
    },
  };
  return popup;
}
