// Where a URL redirects to, without following it. fetch() hides a redirect's target from
// extensions (an opaque redirect in both browsers), but webRequest shows the extension its own
// requests (tab -1) with their response headers, for hosts it holds. Measured in Chromium 156 and
// Firefox 153: onHeadersReceived carries the Location every time, sometimes only after fetch has
// settled; onBeforeRedirect does not fire in Firefox for a manual redirect.
import { originPermissionPattern } from '../../shared/realm-url';
import { locationHeader, type HeadersDetails, type WebRequestEvent } from '../ports';

export type HeadersEventLike = WebRequestEvent<HeadersDetails>;

/** How long to wait for the headers once the request has ended. */
const LATE_EVENT_MS = 3000;

/** Resolves to the absolute URL `url` redirects to, or null when it does not redirect or cannot be seen. */
export function createRedirectProbe(onHeadersReceived: HeadersEventLike, fetchImpl: typeof fetch = fetch) {
  return async function firstRedirect(url: string): Promise<string | null> {
    let resolveSeen: (location: string | null) => void = () => undefined;
    const seen = new Promise<string | null>((resolve) => (resolveSeen = resolve));
    const listener = (details: HeadersDetails) => {
      if (details.tabId !== -1 || details.url !== url) return;
      const location = locationHeader(details);
      resolveSeen(details.statusCode >= 300 && details.statusCode < 400 && location !== undefined ? location : null);
    };
    // Added for this one request: Chromium gives older listeners nothing for a host granted since.
    onHeadersReceived.addListener(listener, { urls: [originPermissionPattern(new URL(url).origin)], types: ['xmlhttprequest'] }, ['responseHeaders']);
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const answered = await fetchImpl(url, { method: 'GET', redirect: 'manual', credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer' })
        .then(async (response) => {
          await response.body?.cancel().catch(() => undefined);
          return true;
        })
        .catch(() => false);
      if (!answered) return null;
      const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), LATE_EVENT_MS)));
      const location = await Promise.race([seen, late]);
      return location === null ? null : new URL(location, url).href;
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
      onHeadersReceived.removeListener(listener);
    }
  };
}
