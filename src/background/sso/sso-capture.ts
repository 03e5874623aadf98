// Seeing the final redirect of Zulip's mobile flow (a 302 to zulip://login?…), which the browser
// cannot follow. Measured in both browsers (docs/zulip-api.md §6): webRequest's
// onHeadersReceived shows its Location and onBeforeRedirect its redirectUrl, in either order, and
// only for hosts the extension holds; declarativeNetRequest and identity.launchWebAuthFlow never
// see it. Both listeners report, and the flow takes whichever comes first.

import { locationHeader, type HeadersDetails, type WebRequestEvent } from '../ports';

const ZULIP_SCHEME = /^zulip:/i;

interface RedirectDetails {
  tabId: number;
  redirectUrl: string;
}
export interface WebRequestLike {
  onHeadersReceived: WebRequestEvent<HeadersDetails>;
  onBeforeRedirect: WebRequestEvent<RedirectDetails>;
}
export interface PermissionEventsLike {
  onAdded: { addListener(listener: () => void): void };
}

// Only pages in a tab: the flow runs in one, and nothing else may end it.
const FILTER = { urls: ['http://*/*', 'https://*/*'], types: ['main_frame'] };

/** Call synchronously at the top level of the background, so that the redirect wakes a stopped worker. */
export function captureMobileFlowRedirects(
  webRequest: WebRequestLike,
  permissions: PermissionEventsLike,
  onRedirect: (tabId: number, location: string) => void,
): void {
  const fromHeaders = (details: HeadersDetails) => {
    if (details.statusCode < 300 || details.statusCode > 399) return;
    const location = locationHeader(details);
    if (location !== undefined && ZULIP_SCHEME.test(location)) onRedirect(details.tabId, location);
  };
  const fromRedirect = (details: RedirectDetails) => {
    if (ZULIP_SCHEME.test(details.redirectUrl)) onRedirect(details.tabId, details.redirectUrl);
  };
  const listen = () => {
    // No 'extraHeaders': Location is visible without it, and Firefox refuses the option.
    webRequest.onHeadersReceived.addListener(fromHeaders, FILTER, ['responseHeaders']);
    webRequest.onBeforeRedirect.addListener(fromRedirect, FILTER);
  };
  listen();
  // Chromium gives listeners no events for a host granted after they were added, until they are
  // added again; SSO asks for its hosts at run time, from the click that starts it.
  permissions.onAdded.addListener(() => {
    webRequest.onHeadersReceived.removeListener(fromHeaders);
    webRequest.onBeforeRedirect.removeListener(fromRedirect);
    listen();
  });
}
