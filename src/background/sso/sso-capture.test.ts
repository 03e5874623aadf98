import { describe, expect, it } from 'vitest';
import { captureMobileFlowRedirects, type PermissionEventsLike, type WebRequestLike } from './sso-capture';

type AnyListener = (details: never) => void;

/** Holds listeners as the browser does, with the filter and options each was added with. */
function fakeWebRequest() {
  const added: Array<{ event: string; filter: unknown; extra: unknown }> = [];
  const live = new Map<string, Set<AnyListener>>([['headers', new Set()], ['redirect', new Set()]]);
  const event = (name: string) => ({
    addListener(listener: AnyListener, filter: unknown, extra?: unknown) {
      live.get(name)!.add(listener);
      added.push({ event: name, filter, extra });
    },
    removeListener(listener: AnyListener) {
      live.get(name)!.delete(listener);
    },
  });
  const webRequest = { onHeadersReceived: event('headers'), onBeforeRedirect: event('redirect') } as unknown as WebRequestLike;
  const fire = (name: 'headers' | 'redirect', details: unknown) => {
    for (const listener of live.get(name)!) listener(details as never);
  };
  return { webRequest, added, live, fire };
}

function setUp() {
  const web = fakeWebRequest();
  let onAdded: (() => void) | undefined;
  const permissions: PermissionEventsLike = { onAdded: { addListener: (listener) => void (onAdded = listener) } };
  const seen: Array<[number, string]> = [];
  captureMobileFlowRedirects(web.webRequest, permissions, (tabId, location) => seen.push([tabId, location]));
  return { ...web, seen, grant: () => onAdded?.() };
}

const ZULIP = 'zulip://login?otp_encrypted_api_key=00&email=a%40b.c&user_id=1&realm=https%3A%2F%2Fchat.example.com';

describe('seeing the final redirect', () => {
  it("listens to tabs' top-level pages, asking for response headers but not Firefox-refused extraHeaders", () => {
    const { added } = setUp();
    const filter = { urls: ['http://*/*', 'https://*/*'], types: ['main_frame'] };
    expect(added).toEqual([
      { event: 'headers', filter, extra: ['responseHeaders'] },
      { event: 'redirect', filter, extra: undefined },
    ]);
  });

  it('reports a 302 to zulip: from its Location header, whatever the header name case', () => {
    const { fire, seen } = setUp();
    fire('headers', { tabId: 4, statusCode: 302, responseHeaders: [{ name: 'Content-Type', value: 'text/html' }, { name: 'location', value: ZULIP }] });
    expect(seen).toEqual([[4, ZULIP]]);
  });

  it('reports a redirect to zulip: from onBeforeRedirect', () => {
    const { fire, seen } = setUp();
    fire('redirect', { tabId: 4, redirectUrl: ZULIP });
    expect(seen).toEqual([[4, ZULIP]]);
  });

  it('ignores every other redirect and response', () => {
    const { fire, seen } = setUp();
    fire('headers', { tabId: 4, statusCode: 302, responseHeaders: [{ name: 'Location', value: 'https://idp.example/authorize' }] });
    fire('headers', { tabId: 4, statusCode: 200, responseHeaders: [{ name: 'Location', value: ZULIP }] });
    fire('headers', { tabId: 4, statusCode: 302 });
    fire('redirect', { tabId: 4, redirectUrl: 'https://chat.example.com/' });
    expect(seen).toEqual([]);
  });

  it('adds its listeners again when a host is granted, for Chromium, without doubling them', () => {
    const { grant, live, added, fire, seen } = setUp();
    grant();
    expect(added).toHaveLength(4);
    expect(live.get('headers')!.size).toBe(1);
    expect(live.get('redirect')!.size).toBe(1);
    fire('redirect', { tabId: 1, redirectUrl: ZULIP });
    expect(seen).toHaveLength(1);
  });
});
