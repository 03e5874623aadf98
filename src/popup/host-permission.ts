// Asking for a server's host permission from the popup without losing the click.
//
// What the prompt does to the toolbar popup differs (measured on Chromium 156 and Firefox ESR 153):
// Chromium closes the popup as the prompt appears, so request() never resolves in it and the code
// after it never runs; the background brings the popup back once the grant arrives
// (src/background/popup-return/popup-return.ts). Firefox keeps the popup open and request() resolves in it.
// The code is right for both: the draft is saved before every prompt, and a reopened popup
// carries on from it.
//
// Firefox accepts permissions.request only while it is still handling the user's input: one
// `await` before it (even of permissions.contains) and it throws "may only be called from a user
// input handler". So "is it held already?" is answered synchronously from a copy of
// permissions.getAll() read when the popup opens and kept fresh through onAdded/onRemoved, and
// request is the first asynchronous call the click makes. When that copy is missing or does not
// recognise a grant, calling request is still harmless: both browsers answer true without a prompt
// for an origin that is already granted.
import { patternsCover } from '../shared/host-patterns';

export interface PermissionsLike {
  contains(permissions: { origins: string[] }): Promise<boolean>;
  request(permissions: { origins: string[] }): Promise<boolean>;
  getAll?: () => Promise<{ origins?: string[] }>;
}

export type PermissionOutcome = 'granted' | 'denied' | 'failed';

export interface HostPermissions {
  /** Re-reads the granted origins; call on open and whenever permissions change. */
  refresh(): Promise<void>;
  /**
   * Call synchronously from the click or submit handler, before anything else that awaits. Several
   * patterns are asked for in one prompt. `beforePrompt` runs only when a prompt may appear
   * (Chromium closes the popup when it does, and the returned promise then never settles).
   */
  ensure(patterns: string | readonly string[], beforePrompt?: () => void): Promise<PermissionOutcome>;
  /** From the copy read at refresh: false when unknown. For explaining a prompt before it comes. */
  isGranted(pattern: string): boolean;
  /** For code that runs without a user gesture, e.g. resuming after the popup was closed. */
  holds(pattern: string): Promise<boolean>;
  /** The browser closes the popup while its prompt is up (Chromium), so the popup says so before asking. */
  promptClosesPopup: boolean;
}

/**
 * Chromium-based browsers (their extension pages are chrome-extension:) close the popup for the
 * prompt; Firefox (moz-extension:) was not seen to. `extensionBaseUrl` is runtime.getURL('').
 */
export function promptClosesPopup(extensionBaseUrl: string): boolean {
  return extensionBaseUrl.startsWith('chrome-extension:');
}

export function createHostPermissions(api: PermissionsLike, options = { promptClosesPopup: false }): HostPermissions {
  let granted: string[] | null = null;

  return {
    promptClosesPopup: options.promptClosesPopup,

    async refresh() {
      try {
        granted = (await api.getAll?.())?.origins ?? null;
      } catch {
        granted = null;
      }
    },

    ensure(patterns, beforePrompt) {
      const wanted = typeof patterns === 'string' ? [patterns] : [...patterns];
      const held = granted;
      if (held !== null && wanted.every((pattern) => patternsCover(held, pattern))) return Promise.resolve('granted');
      beforePrompt?.();
      let answer: Promise<boolean>;
      try {
        answer = api.request({ origins: wanted });
      } catch {
        // Thrown synchronously when the pattern is not among the optional permissions.
        return Promise.resolve('failed');
      }
      return answer.then(
        (ok): PermissionOutcome => {
          if (ok && granted !== null) granted = [...granted, ...wanted];
          return ok ? 'granted' : 'denied';
        },
        (): PermissionOutcome => 'failed',
      );
    },

    isGranted(pattern) {
      return granted !== null && patternsCover(granted, pattern);
    },

    async holds(pattern) {
      try {
        return await api.contains({ origins: [pattern] });
      } catch {
        return false;
      }
    },
  };
}
