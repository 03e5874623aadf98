// Turns what a person types into the origin of a Zulip server, the way Zulip's own apps do
// (zulip-flutter ServerUrlTextEditingController, zulip-mobile tryParseInput), with one addition:
// plain http is allowed only on loopback, where development servers live.

export type RealmUrlProblem =
  | 'empty'
  | 'too-long'
  | 'unsupported-scheme'
  | 'email-not-url'
  | 'credentials-in-url'
  | 'insecure-http'
  | 'invalid';

export type RealmUrlResult = { ok: true; origin: string } | { ok: false; problem: RealmUrlProblem };

const MAX_INPUT_LENGTH = 1024;
const HTTP_PREFIX = /^https?:\/\//i;
// A scheme is a word followed by ':' that is not a port (host:9991) — "zulip://x", "ftp://x", "mailto:x".
const OTHER_SCHEME = /^[a-z][a-z0-9+.-]*:(?!\d)/i;

export function parseRealmUrl(input: string): RealmUrlResult {
  const text = input.trim();
  if (text === '') return { ok: false, problem: 'empty' };
  if (text.length > MAX_INPUT_LENGTH) return { ok: false, problem: 'too-long' };

  let candidate = text;
  if (!HTTP_PREFIX.test(text)) {
    if (OTHER_SCHEME.test(text)) return { ok: false, problem: 'unsupported-scheme' };
    if (text.includes('@')) return { ok: false, problem: 'email-not-url' };
    // Development servers on loopback speak plain http (Zulip's dev server is http://localhost:9991).
    candidate = (isLoopbackHostname(hostnameGuess(text)) ? 'http://' : 'https://') + text;
  }

  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return { ok: false, problem: 'invalid' };
  }
  if (url.hostname === '') return { ok: false, problem: 'invalid' };
  if (url.username !== '' || url.password !== '') return { ok: false, problem: 'credentials-in-url' };
  if (url.protocol === 'http:' && !isLoopbackHostname(url.hostname)) {
    return { ok: false, problem: 'insecure-http' };
  }
  return { ok: true, origin: url.origin };
}

function hostnameGuess(text: string): string {
  try {
    return new URL(`http://${text}`).hostname;
  } catch {
    return '';
  }
}

export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The host permission that covers an origin. Match patterns carry no port (Firefox rejects one). */
export function originPermissionPattern(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}

/** The origin of a URL, or null when it is not an absolute http(s) URL. */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

/**
 * An organization icon's URL, resolved against the realm, or null. Servers may send a path
 * relative to the realm; anything that does not end up http(s) (data:, javascript:, file:) is not loaded.
 */
export function resolveIconUrl(iconUrl: string | null | undefined, realmUrl: string): string | null {
  if (!iconUrl) return null;
  try {
    const url = new URL(iconUrl, realmUrl);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

export function apiUrl(realmOrigin: string, route: string): string {
  return new URL(`/api/v1/${route}`, realmOrigin).href;
}

/** The locale message that explains each problem (public/_locales). */
export const REALM_URL_PROBLEM_MESSAGE = {
  empty: 'error_url_empty',
  'too-long': 'error_url_too_long',
  'unsupported-scheme': 'error_url_scheme',
  'email-not-url': 'error_url_email',
  'credentials-in-url': 'error_url_credentials',
  'insecure-http': 'error_url_insecure_http',
  invalid: 'error_url_invalid',
} as const satisfies Record<RealmUrlProblem, string>;
