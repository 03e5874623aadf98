import { describe, expect, it, vi } from 'vitest';
import { createRedirectProbe, type HeadersEventLike } from './redirect-probe';

const START = 'https://chat.example.com/accounts/login/social/google';
type Details = Parameters<Parameters<HeadersEventLike['addListener']>[0]>[0];

/** A webRequest event that delivers `details` to its listeners when the fetch is answered, or `lateMs` after. */
function setUp(details: Details[], options: { lateMs?: number; fetchFails?: boolean } = {}) {
  const listeners = new Set<(details: Details) => void>();
  const filters: unknown[] = [];
  const event: HeadersEventLike = {
    addListener: (listener, filter, extra) => {
      listeners.add(listener);
      filters.push({ filter, extra });
    },
    removeListener: (listener) => void listeners.delete(listener),
  };
  const deliver = () => details.forEach((detail) => [...listeners].forEach((listener) => listener(detail)));
  const fetchImpl = vi.fn(async () => {
    if (options.fetchFails) throw new TypeError('Failed to fetch');
    if (options.lateMs === undefined) deliver();
    else setTimeout(deliver, options.lateMs);
    return new Response(null, { status: 200 });
  });
  return { probe: createRedirectProbe(event, fetchImpl as unknown as typeof fetch), listeners, filters, fetchImpl };
}
const redirect = (location: string, extra: Partial<Details> = {}): Details => ({
  url: START,
  tabId: -1,
  statusCode: 302,
  responseHeaders: [{ name: 'Location', value: location }],
  ...extra,
});

describe('the first redirect of a URL', () => {
  it("is read from the Location of the extension's own request, resolved against the URL", async () => {
    const { probe, filters, listeners, fetchImpl } = setUp([redirect('/login/google/?subdomain=')]);
    expect(await probe(START)).toBe('https://chat.example.com/login/google/?subdomain=');
    expect(filters).toEqual([{ filter: { urls: ['https://chat.example.com/*'], types: ['xmlhttprequest'] }, extra: ['responseHeaders'] }]);
    expect(listeners.size).toBe(0);
    expect(fetchImpl).toHaveBeenCalledWith(START, expect.objectContaining({ redirect: 'manual', credentials: 'omit' }));
  });

  it('waits for headers that come after fetch has settled, as Firefox sometimes sends them', async () => {
    const { probe } = setUp([redirect('https://zulipchat.com/login/google/')], { lateMs: 50 });
    expect(await probe(START)).toBe('https://zulipchat.com/login/google/');
  });

  it("ignores other tabs' requests and other URLs", async () => {
    const { probe } = setUp([redirect('https://a.example/', { tabId: 3 }), redirect('https://b.example/', { url: `${START}x` }), redirect('https://zulipchat.com/')]);
    expect(await probe(START)).toBe('https://zulipchat.com/');
  });

  it('is null for an answer that is not a redirect, for a failed request, and when no headers come', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      expect(await setUp([{ ...redirect('https://x.example/'), statusCode: 200 }]).probe(START)).toBeNull();
      expect(await setUp([redirect('https://x.example/')], { fetchFails: true }).probe(START)).toBeNull();
      const silent = setUp([]).probe(START);
      await vi.advanceTimersByTimeAsync(3000);
      expect(await silent).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});
