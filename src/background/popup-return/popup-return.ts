// Bringing the toolbar popup back after a host-permission prompt closed it.
//
// Chromium closes the popup as soon as its permission prompt appears (measured on Chromium 156:
// every time, 30 to 120 ms after the click), so the popup's permissions.request never resolves and
// nothing after it runs in the popup. Firefox 153 keeps the popup open through the prompt and the
// request resolves there. Before asking, the popup saves its draft with `awaitingPermission` set
// to the origin (src/shared/popup-draft.ts); when the grant for that origin arrives, the background opens
// the popup again with action.openPopup(), and the popup, finding the grant held, carries on by
// itself (the lookup runs without another click). Where the browser refuses to open it (no active
// window, a popup already open, an older browser), the next time the person opens the popup it
// does the same.
//
// Why not move the popup into a small extension window before asking, as some password managers
// do: that window survives the prompt, but it is a second, differently placed window that stays
// after the sign-in and has to be closed by hand, it appears in every browser although only
// Chromium needs it, and the person has to find it first. Coming back where the toolbar popup was,
// at the step it left, is what the person expects; the cost where reopening fails is one click on
// the toolbar button, after which nothing has to be typed again.
//
// Guarded: the popup is reopened only for an unfinished sign-in (a draft marked as waiting for a
// permission) whose origin is among those just granted, only once per grant of that origin, and
// only when no popup page is open to carry on itself (Firefox's popup, or popup.html in a tab).
import { originPermissionPattern } from '../../shared/realm-url';
import type { DraftStore } from '../../shared/popup-draft';
import { patternsCover } from '../../shared/host-patterns';

/** How long to wait for the browser window to become active again when the first try fails. */
export const WINDOW_FOCUS_WAIT_MS = 10_000;

export interface PopupReturnDeps {
  drafts: Pick<DraftStore, 'load'>;
  /** Whether a page of the popup (the toolbar popup, or popup.html in a tab) is open. */
  popupPageOpen(): Promise<boolean>;
  /** action.openPopup(): rejects when the browser will not open it. */
  openPopup(): Promise<void>;
  /** Resolves true when a browser window takes the focus within `ms`, else false. */
  windowFocused(ms: number): Promise<boolean>;
}

export type PopupReturn = 'reopened' | 'not-waiting' | 'already-reopened' | 'still-open' | 'left-for-next-open';

export interface PopupReturner {
  /** From permissions.onAdded. */
  granted(origins: readonly string[]): Promise<PopupReturn>;
  /** From permissions.onRemoved: a later grant of the same origin may bring the popup back again. */
  removed(origins: readonly string[]): void;
}

export function createPopupReturner(deps: PopupReturnDeps): PopupReturner {
  // In memory: the worker that receives onAdded also handles the popup's messages right after, and
  // the popup clears the mark from its draft as it opens, so nothing outlives this moment.
  const reopened = new Set<string>();

  /** The origin the popup's draft waits for, if the grant of `origins` covers it. */
  const waitingFor = async (origins: readonly string[]): Promise<string | null> => {
    const origin = (await deps.drafts.load())?.awaitingPermission;
    return origin !== undefined && patternsCover(origins, originPermissionPattern(origin)) ? origin : null;
  };

  const tryOpen = () =>
    deps.openPopup().then(
      () => true,
      () => false,
    );

  return {
    async granted(origins) {
      const origin = await waitingFor(origins);
      if (origin === null) return 'not-waiting';
      if (reopened.has(origin)) return 'already-reopened';
      // The page that asked is alive, so its request resolves there and it carries on itself.
      if (await deps.popupPageOpen()) return 'still-open';
      reopened.add(origin);
      if (await tryOpen()) return 'reopened';
      // Chromium refuses while its window is inactive ("Could not find an active browser window"),
      // which it may still be as the prompt goes away. The person may have opened the popup by
      // then, which clears the mark: so the draft is read again before a second try.
      if (!(await deps.windowFocused(WINDOW_FOCUS_WAIT_MS))) return 'left-for-next-open';
      if ((await waitingFor(origins)) !== origin) return 'not-waiting';
      return (await tryOpen()) ? 'reopened' : 'left-for-next-open';
    },
    removed(origins) {
      for (const origin of [...reopened]) {
        if (patternsCover(origins, originPermissionPattern(origin))) reopened.delete(origin);
      }
    },
  };
}

export interface WindowsLike {
  WINDOW_ID_NONE: number;
  onFocusChanged: {
    addListener(listener: (windowId: number) => void): void;
    removeListener(listener: (windowId: number) => void): void;
  };
}

/** windows.onFocusChanged as a promise: true when a browser window takes the focus within `ms`. */
export function windowFocusedWithin(windows: WindowsLike, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const settle = (focused: boolean) => {
      clearTimeout(timer);
      windows.onFocusChanged.removeListener(listener);
      resolve(focused);
    };
    const listener = (windowId: number) => {
      if (windowId !== windows.WINDOW_ID_NONE) settle(true);
    };
    const timer = setTimeout(() => settle(false), ms);
    windows.onFocusChanged.addListener(listener);
  });
}

interface ContextsLike {
  getURL(path: string): string;
  getContexts?(filter: Record<string, never>): Promise<Array<{ documentUrl?: string }>>;
}

/**
 * Whether a page of the popup is open, from runtime.getContexts (Chrome 116, Firefox 128 and
 * later; Chrome's service worker has no extension.getViews). Unknown counts as not open.
 */
export async function popupPageOpenIn(runtime: ContextsLike, popupPath: string): Promise<boolean> {
  if (!runtime.getContexts) return false;
  const popupUrl = runtime.getURL(popupPath);
  return (await runtime.getContexts({})).some((context) => context.documentUrl?.startsWith(popupUrl) === true);
}
