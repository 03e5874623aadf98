// Walks a fake Zulip server's SSO pages the way a browser would, for the unit tests of the flows
// (sso.test.ts, remote-user-sso.test.ts): follows http redirects, submits the fake identity
// provider's choice, and stops at a page or at a redirect to another scheme (zulip://).
import { expect } from 'vitest';
import { IAGO } from './demo-realm';

export interface Hop {
  url: string;
  method: string;
  status: number;
  location: string | null;
  contentType: string | null;
  body: string;
}

function decodeHtml(text: string): string {
  return text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

/** The form fields a browser submits when the person clicks "Continue as <email>". */
function identityProviderChoice(page: string, email: string): URLSearchParams {
  const fields = new URLSearchParams();
  for (const [, name = '', value = ''] of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.append(name, decodeHtml(value));
  }
  const button = [...page.matchAll(/<button type="submit" name="([^"]+)" value="([^"]*)">([^<]*)<\/button>/g)].find(
    ([, , , label]) => decodeHtml(label ?? '') === `Continue as ${email}`,
  );
  if (!button) throw new Error(`no button "Continue as ${email}"`);
  fields.append(button[1] ?? '', decodeHtml(button[2] ?? ''));
  return fields;
}

/**
 * Walks the flow as a browser would: follows http redirects, picks `identity` at the identity
 * provider, and stops at the first page that is not a redirect or at a redirect to another scheme.
 */
export async function runFlow(url: string, identity: string = IAGO.email): Promise<Hop[]> {
  const hops: Hop[] = [];
  let next: { url: string; init: RequestInit } | undefined = { url, init: {} };
  while (next) {
    if (hops.length > 12) throw new Error('redirect loop');
    const res = await fetch(next.url, { ...next.init, redirect: 'manual' });
    const hop: Hop = {
      url: next.url,
      method: next.init.method ?? 'GET',
      status: res.status,
      location: res.headers.get('location'),
      contentType: res.headers.get('content-type'),
      body: await res.text(),
    };
    hops.push(hop);
    next = undefined;
    if (hop.location !== null && hop.status >= 300 && hop.status < 400) {
      const target = new URL(hop.location, hop.url);
      if (target.protocol === 'http:') next = { url: target.href, init: {} };
    } else if (hop.status === 200 && hop.body.includes('<form method="post" action="/authorize">')) {
      next = { url: new URL('/authorize', hop.url).href, init: { method: 'POST', body: identityProviderChoice(hop.body, identity) } };
    }
  }
  return hops;
}

export function last(hops: Hop[]): Hop {
  const hop = hops.at(-1);
  if (!hop) throw new Error('no hops');
  return hop;
}

export function zulipRedirects(hops: Hop[]): string[] {
  return hops.flatMap((h) => (h.location?.startsWith('zulip:') ? [h.location] : []));
}

/** The final Location's parameters, in order. */
export function finalParams(hops: Hop[]): [string, string][] {
  const location = last(hops).location ?? '';
  expect(location.startsWith('zulip://login?')).toBe(true);
  return [...new URLSearchParams(location.slice('zulip://login?'.length))];
}

export function pathsOf(server: { requests: { method: string; path: string }[] }): string[] {
  return server.requests.map((r) => `${r.method} ${r.path}`);
}
