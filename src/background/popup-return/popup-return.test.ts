// The background brings the popup back after a grant, for the unfinished sign-in waiting for it,
// once. The popup's side (it carries on by itself) is in test/unit/permission-prompt-popup.test.ts.
import { beforeEach, expect, it } from 'vitest';
import { fake } from '../../../test/unit/fake-browser';
import { createDraftStore, type Draft } from '../../shared/popup-draft';
import { createPopupReturner, popupPageOpenIn, windowFocusedWithin, type PopupReturnDeps, type WindowsLike } from './popup-return';

const ORIGIN = 'https://chat.example.com';
const PATTERN = 'https://chat.example.com/*';

const drafts = createDraftStore(fake.browser.storage.session);
let opened: number;
let openFails: boolean;
let focusComes: boolean;
let onFocus: (() => Promise<void>) | null;

function returner(overrides: Partial<PopupReturnDeps> = {}) {
  return createPopupReturner({
    drafts,
    popupPageOpen: async () => false,
    openPopup: async () => {
      if (openFails) throw new Error('Could not find an active browser window.');
      opened += 1;
    },
    windowFocused: async () => {
      await onFocus?.();
      return focusComes;
    },
    ...overrides,
  });
}

const waiting = (origin = ORIGIN): Draft => ({ step: 'server', serverUrl: 'chat.example.com', awaitingPermission: origin });

beforeEach(() => {
  opened = 0;
  openFails = false;
  focusComes = false;
  onFocus = null;
});

it('reopens the popup when the origin its draft waits for is granted', async () => {
  await drafts.save(waiting());
  expect(await returner().granted([PATTERN])).toBe('reopened');
  expect(opened).toBe(1);
});

it('among several origins granted in one prompt (single sign-on asks for the organization and its root domain)', async () => {
  await drafts.save(waiting());
  expect(await returner().granted(['https://example.com/*', PATTERN])).toBe('reopened');
  expect(opened).toBe(1);
});

it('does nothing for a grant of another origin, for a draft not waiting, or without a draft', async () => {
  const popupReturn = returner();
  expect(await popupReturn.granted([PATTERN])).toBe('not-waiting');
  await drafts.save({ step: 'server', serverUrl: 'chat.example.com' });
  expect(await popupReturn.granted([PATTERN])).toBe('not-waiting');
  await drafts.save(waiting());
  expect(await popupReturn.granted(['https://other.example.com/*'])).toBe('not-waiting');
  expect(await popupReturn.granted(['http://chat.example.com/*'])).toBe('not-waiting');
  expect(opened).toBe(0);
});

it('once per grant: a second event for the same origin opens nothing, until that origin is removed and granted again', async () => {
  await drafts.save(waiting());
  const popupReturn = returner();
  expect(await popupReturn.granted([PATTERN])).toBe('reopened');
  expect(await popupReturn.granted([PATTERN])).toBe('already-reopened');
  expect(opened).toBe(1);
  popupReturn.removed([PATTERN]);
  expect(await popupReturn.granted([PATTERN])).toBe('reopened');
  expect(opened).toBe(2);
});

it('a popup page still open (Firefox keeps its popup through the prompt; popup.html in a tab) carries on itself: nothing is opened', async () => {
  await drafts.save(waiting());
  expect(await returner({ popupPageOpen: async () => true }).granted([PATTERN])).toBe('still-open');
  expect(opened).toBe(0);
});

it('refused while the window is inactive: tries once more when a window takes the focus', async () => {
  await drafts.save(waiting());
  openFails = true;
  focusComes = true;
  onFocus = async () => {
    openFails = false;
  };
  expect(await returner().granted([PATTERN])).toBe('reopened');
  expect(opened).toBe(1);
});

it('refused and no window takes the focus: left for the next time the person opens the popup, the draft untouched', async () => {
  await drafts.save(waiting());
  openFails = true;
  expect(await returner().granted([PATTERN])).toBe('left-for-next-open');
  expect(await drafts.load()).toEqual(waiting());
});

it('refused, and the person opened the popup meanwhile, which carried on itself: no second try', async () => {
  await drafts.save(waiting());
  openFails = true;
  focusComes = true;
  let tries = 0;
  const popupReturn = returner({
    openPopup: async () => {
      tries += 1;
      throw new Error('Could not find an active browser window.');
    },
  });
  // The popup the person opened finds the grant held, moves on and saves its draft without the mark.
  onFocus = () => drafts.save({ step: 'server', serverUrl: 'chat.example.com' });
  expect(await popupReturn.granted([PATTERN])).toBe('not-waiting');
  expect(tries).toBe(1);
});

it('windowFocusedWithin: true on a window taking the focus, not on the focus leaving every window; false after the wait; the listener goes', async () => {
  const listeners = new Set<(windowId: number) => void>();
  const windows: WindowsLike = {
    WINDOW_ID_NONE: -1,
    onFocusChanged: { addListener: (listener) => listeners.add(listener), removeListener: (listener) => listeners.delete(listener) },
  };
  const focused = windowFocusedWithin(windows, 1_000);
  for (const listener of listeners) listener(-1);
  for (const listener of listeners) listener(7);
  expect(await focused).toBe(true);
  expect(listeners.size).toBe(0);
  expect(await windowFocusedWithin(windows, 1)).toBe(false);
  expect(listeners.size).toBe(0);
});

it('popupPageOpenIn: a context showing the popup page, in the toolbar or in a tab; not the background or another page; false where getContexts is missing', async () => {
  const base = 'chrome-extension://abc/';
  const runtime = (urls: Array<string | undefined>) => ({
    getURL: (path: string) => base + path,
    getContexts: async () => urls.map((documentUrl) => (documentUrl === undefined ? {} : { documentUrl })),
  });
  expect(await popupPageOpenIn(runtime([undefined, `${base}src/popup/popup.html`]), 'src/popup/popup.html')).toBe(true);
  expect(await popupPageOpenIn(runtime([`${base}src/popup/popup.html#x`]), 'src/popup/popup.html')).toBe(true);
  expect(await popupPageOpenIn(runtime([undefined, `${base}src/export/zuliprc.html?realm=x`]), 'src/popup/popup.html')).toBe(false);
  expect(await popupPageOpenIn({ getURL: (path: string) => base + path }, 'src/popup/popup.html')).toBe(false);
});
