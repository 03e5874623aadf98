// The Zulip endpoints the extension talks to, as pure functions from a request to a
// reply. Check order, statuses and bodies follow docs/zulip-api.md
// (§1 server_settings, §2 fetch_api_key, §3 dev_list_users and dev_fetch_api_key, §4 users/me).

import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  isValidEmail,
  lastValue,
  parseFormBody,
  parseQueryString,
  pythonB64decode,
  pythonFloat,
  strictUtf8,
  userAgentName,
} from './django-compat';
import type { RateLimitOutcome, UsernameRateLimiter } from './rate-limiter';
import {
  DEFAULT_API_RATE_LIMIT,
  DEFAULT_RATE_LIMIT,
  ROOT_SERVER_FACTS,
  isUserActive,
  serverFacts,
  type FakeRealmConfig,
  type FakeUser,
  type RealmlessHost,
  type ServerFacts,
  versionAtLeast,
} from './realm-config';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface RequestContext {
  method: string;
  pathname: string;
  query: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  realm: FakeRealmConfig | null;
  realmlessHost: RealmlessHost;
  /** Canonical realm URL, no trailing slash. */
  realmUrl: string;
  limiter: UsernameRateLimiter;
  nowSeconds: number;
}

const JSON_TYPE = 'application/json';
// Django's default, also used by HttpResponseNotAllowed even when Zulip fills it with JSON.
export const HTML_TYPE = 'text/html; charset=utf-8';

function jsonReply(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'Content-Type': JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

function success(data: Record<string, unknown>, headers: Record<string, string> = {}): Reply {
  return jsonReply(200, { result: 'success', msg: '', ...data }, headers);
}

export function jsonError(
  status: number,
  msg: string,
  code: string | undefined,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Reply {
  return jsonReply(status, { result: 'error', msg, ...(code === undefined ? {} : { code }), ...extra }, headers);
}

function withHeaders(reply: Reply, headers: Record<string, string>): Reply {
  return { ...reply, headers: { ...reply.headers, ...headers } };
}

/** Django's @require_safe / @require_http_methods: bare 405. */
function djangoNotAllowed(allowed: string[]): Reply {
  return { status: 405, headers: { 'Content-Type': HTML_TYPE, Allow: allowed.join(', ') }, body: '' };
}

/** zerver json_method_not_allowed: a JSON body inside Django's text/html HttpResponseNotAllowed. */
function zulipNotAllowed(allowed: string[]): Reply {
  return {
    status: 405,
    headers: { 'Content-Type': HTML_TYPE, Allow: allowed.join(', ') },
    body: JSON.stringify({ result: 'error', msg: 'Method Not Allowed', allowed_methods: allowed }),
  };
}

// ---------------------------------------------------------------- server_settings

function backendKey(externalMethodName: string): string {
  const base = (externalMethodName.split(':')[0] ?? '').toLowerCase();
  return base === 'oidc' ? 'openid connect' : base;
}

function authenticationMethods(facts: ServerFacts): Record<string, boolean> {
  const methods: Record<string, boolean> = { password: facts.emailAuthEnabled || facts.ldapEnabled };
  for (const key of facts.authBackendKeys) methods[key] = false;
  methods['email'] = facts.emailAuthEnabled;
  methods['ldap'] = facts.ldapEnabled;
  for (const method of facts.externalAuthenticationMethods) methods[backendKey(method.name)] = true;
  if (facts.devAuthEnabled) methods['dev'] = true;
  return methods;
}

export function serverSettings(ctx: RequestContext): Reply {
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return djangoNotAllowed(['GET', 'HEAD']);
  const realm = ctx.realm;
  if (!realm && ctx.realmlessHost === 'unknown-subdomain') {
    return jsonError(400, 'Invalid subdomain', 'BAD_REQUEST');
  }
  if (!realm && ctx.realmlessHost === 'root-landing-page') {
    return jsonError(400, 'Subdomain required', 'BAD_REQUEST');
  }
  const facts = realm ? serverFacts(realm) : ROOT_SERVER_FACTS;
  const fl = facts.featureLevel;
  const data: Record<string, unknown> = {
    authentication_methods: authenticationMethods(facts),
    zulip_version: facts.zulipVersion,
  };
  if (fl >= 88) data['zulip_merge_base'] = facts.zulipMergeBase;
  if (fl >= 1) data['zulip_feature_level'] = fl;
  data['push_notifications_enabled'] = facts.pushNotificationsEnabled;
  data['is_incompatible'] = userAgentName(ctx.headers['user-agent'] ?? 'Missing User-Agent') === 'ZulipInvalid';
  data['email_auth_enabled'] = facts.emailAuthEnabled;
  data['require_email_format_usernames'] = facts.requireEmailFormatUsernames;
  data['realm_uri'] = ctx.realmUrl;
  if (fl >= 257) data['realm_url'] = ctx.realmUrl;
  if (realm) {
    data['realm_name'] = realm.name;
    data['realm_icon'] = realm.icon;
    data['realm_description'] = realm.description;
  }
  if (fl >= 116) data['realm_web_public_access_enabled'] = false;
  data['external_authentication_methods'] = facts.externalAuthenticationMethods.map((m) => ({ ...m }));
  return success(data);
}

// ---------------------------------------------------------------- fetch_api_key

type AuthFailure =
  | 'AUTHENTICATION_FAILED'
  | 'USER_DEACTIVATED'
  | 'REALM_DEACTIVATED'
  | 'PASSWORD_AUTH_DISABLED'
  | 'PASSWORD_RESET_REQUIRED';

const AUTH_FAILURE_MSG: Record<AuthFailure, string> = {
  AUTHENTICATION_FAILED: 'Your username or password is incorrect',
  USER_DEACTIVATED: 'Account is deactivated',
  REALM_DEACTIVATED: 'This organization has been deactivated',
  PASSWORD_AUTH_DISABLED: 'Password authentication is disabled in this organization',
  PASSWORD_RESET_REQUIRED: 'Your password has been disabled and needs to be reset',
};

/**
 * Before feature level 76 (Zulip 2.1.0 to 4.x), zerver/views/auth.py answered these with json_error:
 * HTTP 403, no code, other words, and a `reason`.
 */
const LEGACY_AUTH_FAILURE: Record<AuthFailure, { msg: string; reason: string }> = {
  AUTHENTICATION_FAILED: { msg: 'Your username or password is incorrect.', reason: 'incorrect_creds' },
  USER_DEACTIVATED: { msg: 'Your account has been disabled.', reason: 'user disable' },
  REALM_DEACTIVATED: { msg: 'This organization has been deactivated.', reason: 'realm deactivated' },
  PASSWORD_AUTH_DISABLED: { msg: 'Password auth is disabled in your team.', reason: 'password auth disabled' },
  PASSWORD_RESET_REQUIRED: { msg: 'You need to reset your password.', reason: 'password reset needed' },
};

// All five are subclasses of AuthenticationFailedError (zerver/lib/exceptions.py) from feature level 76.
function authFailure(kind: AuthFailure, facts: ServerFacts): Reply {
  if (facts.featureLevel >= 76) return jsonError(401, AUTH_FAILURE_MSG[kind], kind);
  const { msg, reason } = LEGACY_AUTH_FAILURE[kind];
  return jsonError(403, msg, undefined, { reason });
}

/** dev_fetch_api_key's unknown user before feature level 76 (api_dev_fetch_api_key, Zulip 2.1.0 to 4.x). */
function devUnknownUser(facts: ServerFacts): Reply {
  if (facts.featureLevel >= 76) return authFailure('AUTHENTICATION_FAILED', facts);
  return jsonError(403, 'This user is not registered.', undefined, { reason: 'unregistered' });
}

function missingArgument(name: string): Reply {
  return jsonError(400, `Missing '${name}' argument`, 'REQUEST_VARIABLE_MISSING', { var_name: name });
}

function nonexistentSubdomain(): Reply {
  return jsonError(404, 'Invalid subdomain', 'NONEXISTENT_SUBDOMAIN');
}

function rateLimited(secondsToFreedom: number, facts: ServerFacts, headers: Record<string, string>): Reply {
  const body = {
    result: 'error',
    msg: 'API usage exceeded rate limit',
    ...(facts.featureLevel >= 36 ? { code: 'RATE_LIMIT_HIT' } : {}),
    'retry-after': secondsToFreedom,
  };
  const text = JSON.stringify(body).replace(/"retry-after":[^,}]+/, `"retry-after":${pythonFloat(secondsToFreedom)}`);
  return {
    status: 429,
    headers: { 'Content-Type': JSON_TYPE, 'Retry-After': pythonFloat(secondsToFreedom), ...headers },
    body: text,
  };
}

/** zerver/middleware.py RateLimitMiddleware: on every response that went through a limiter, the 429 included. */
function rateLimitHeaders(outcome: RateLimitOutcome, nowSeconds: number): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(outcome.limit),
    'X-RateLimit-Remaining': String(outcome.remaining),
    'X-RateLimit-Reset': String(Math.floor(nowSeconds + outcome.secondsToFreedom)),
  };
}

function findLoginUser(realm: FakeRealmConfig, facts: ServerFacts, username: string): FakeUser | undefined {
  const wanted = username.toLowerCase();
  return realm.users.find(
    (u) => u.email.toLowerCase() === wanted || (facts.ldapEnabled && u.ldapUsername?.toLowerCase() === wanted),
  );
}

function emailInOtherRealm(realm: FakeRealmConfig, username: string): boolean {
  const wanted = username.toLowerCase();
  const others = [...(realm.emailsInOtherRealms ?? []), ...(realm.otherRealmUsers ?? []).map((u) => u.email)];
  return others.some((email) => email.toLowerCase() === wanted);
}

/**
 * An email with an account only in another realm: zproject/backends.py common_get_active_user sets
 * return_data["invalid_subdomain"], which api_fetch_api_key ignored (the generic failure: 403 before
 * feature level 76, 401 AUTHENTICATION_FAILED in 5.x-6.x) until zerver/views/auth.py
 * get_api_key_fetch_authenticate_failure turned it into 404 NONEXISTENT_SUBDOMAIN (commit ff89590558,
 * feature level 160, Zulip 7.0; still so in 8.x). Zulip 9.4 and later answer 401 AUTHENTICATION_FAILED
 * again, so as not to tell that the email exists elsewhere; 9.x maintenance releases share feature
 * level 277-278, hence the version string.
 */
function namesOtherRealm(facts: ServerFacts): boolean {
  return facts.featureLevel >= 160 && !versionAtLeast(facts.zulipVersion, 9, 4);
}

// Parameters Zulip itself consumes: the view's two, plus `client` (read by the middleware).
const PROCESSED_PARAMETERS = new Set(['username', 'password', 'client']);

export function fetchApiKey(ctx: RequestContext): Reply {
  // 1. @require_post runs before anything reads the request.
  if (ctx.method !== 'POST') return zulipNotAllowed(['POST']);

  // 2. REQ() looks in request.POST, then the query string; a JSON body fills neither.
  const post = parseFormBody(ctx.headers['content-type'], ctx.body);
  const get = parseQueryString(ctx.query);
  const param = (name: string): string | undefined => lastValue(post, name) ?? lastValue(get, name);
  const username = param('username');
  if (username === undefined) return missingArgument('username');
  const password = param('password');
  if (password === undefined) return missingArgument('password');

  // 3.
  const realm = ctx.realm;
  if (!realm) return nonexistentSubdomain();
  const facts = serverFacts(realm);

  // 4. Before authenticate(), so not rate-limited.
  if (!facts.ldapEnabled && !isValidEmail(username)) {
    return jsonError(400, 'Enter a valid email address.', 'BAD_REQUEST');
  }

  // 5. The limiter runs first inside authenticate(): even the right password is refused.
  const rule = realm.rateLimit === false ? null : (realm.rateLimit ?? DEFAULT_RATE_LIMIT);
  let limitHeaders: Record<string, string> = {};
  if (rule) {
    const outcome = ctx.limiter.hit(username, rule, ctx.nowSeconds);
    limitHeaders = rateLimitHeaders(outcome, ctx.nowSeconds);
    if (outcome.limited) return rateLimited(outcome.secondsToFreedom, facts, limitHeaders);
  }
  const fail = (kind: AuthFailure): Reply => withHeaders(authFailure(kind, facts), limitHeaders);

  // 6. A realm-level refusal, decided before looking the user up.
  if (!facts.emailAuthEnabled && !facts.ldapEnabled) return fail('PASSWORD_AUTH_DISABLED');

  // 7. Lookup; the account's state is judged before its password.
  if (password === '') return fail('AUTHENTICATION_FAILED');
  const user = findLoginUser(realm, facts, username);
  if (!user) {
    return emailInOtherRealm(realm, username) && namesOtherRealm(facts)
      ? withHeaders(nonexistentSubdomain(), limitHeaders)
      : fail('AUTHENTICATION_FAILED');
  }
  if (realm.deactivated) return fail('REALM_DEACTIVATED');
  if (!isUserActive(user)) return fail('USER_DEACTIVATED');

  // 8-9. Django only tries to rehash a password that matched, so a wrong password
  // on a reset-required account is an ordinary failure. Servers before feature level 62 had no such
  // refusal (zproject/backends.py EmailAuthBackend, commit 4006bb5153).
  if (password !== user.password) return fail('AUTHENTICATION_FAILED');
  if (user.passwordResetRequired && facts.featureLevel >= 62) return fail('PASSWORD_RESET_REQUIRED');

  // 10. The headers describe the bucket as it was when the attempt was counted.
  if (rule) ctx.limiter.clear(username);
  const data: Record<string, unknown> = { api_key: user.apiKey, email: user.email };
  if (facts.featureLevel >= 171) data['user_id'] = user.userId;
  const ignored = [...new Set([...post.keys(), ...get.keys()])].filter((k) => !PROCESSED_PARAMETERS.has(k)).sort();
  if (facts.featureLevel >= 167 && ignored.length > 0) data['ignored_parameters_unsupported'] = ignored;
  return success(data, limitHeaders);
}

// ---------------------------------------------------------------- users/me

/**
 * zerver/lib/exceptions.py UnauthorizedError from feature level 134 (commit 159449b448); before,
 * zerver/lib/response.py json_unauthorized: no code, and Django's text/html type on the JSON body.
 */
function unauthorized(msg: string, realm: FakeRealmConfig | null): Reply {
  const headers = { 'WWW-Authenticate': 'Basic realm="zulip"' };
  if ((realm ? serverFacts(realm) : ROOT_SERVER_FACTS).featureLevel >= 134) return jsonError(401, msg, 'UNAUTHORIZED', {}, headers);
  return { ...jsonError(401, msg, undefined, {}, headers), headers: { 'Content-Type': HTML_TYPE, ...headers } };
}

/** zerver/decorator.py get_basic_credentials; null means "Invalid authorization header". */
function basicCredentials(header: string): { role: string; apiKey: string } | 'not-basic' | null {
  const parts = header.split(/\s+/).filter((p) => p !== '');
  const [scheme, encoded] = parts;
  if (parts.length !== 2 || scheme === undefined || encoded === undefined) return null;
  if (scheme.toLowerCase() !== 'basic') return 'not-basic';
  const bytes = pythonB64decode(encoded);
  const text = bytes && strictUtf8(bytes);
  const pieces = text?.split(':');
  if (!pieces || pieces.length !== 2) return null;
  return { role: pieces[0] ?? '', apiKey: pieces[1] ?? '' };
}

function gravatarUrl(email: string): string {
  const hash = createHash('md5').update(email.toLowerCase()).digest('hex');
  return `https://secure.gravatar.com/avatar/${hash}?d=identicon&version=1`;
}

function ownProfile(user: FakeUser): Record<string, unknown> {
  const role = user.role ?? 400;
  return {
    user_id: user.userId,
    email: user.email,
    delivery_email: user.email,
    full_name: user.fullName,
    role,
    is_admin: role === 100 || role === 200,
    is_owner: role === 100,
    is_guest: role === 600,
    is_bot: false,
    is_active: true,
    avatar_url: gravatarUrl(user.email),
    avatar_version: 1,
    timezone: '',
    date_joined: user.dateJoined ?? '2019-10-20T07:50:53.728864+00:00',
    profile_data: {},
  };
}

export function usersMe(ctx: RequestContext): Reply {
  // rest_dispatch checks the method before authenticating. DELETE (deactivate
  // own account) is not implemented, so it is not offered either.
  if (ctx.method === 'OPTIONS') return { status: 204, headers: { Allow: 'GET, HEAD' }, body: '' };
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return zulipNotAllowed(['GET', 'HEAD']);

  const authorization = ctx.headers.authorization;
  if (authorization === undefined) {
    if ((ctx.headers.accept ?? '').includes('text/html')) {
      return { status: 302, headers: { 'Content-Type': HTML_TYPE, Location: `/login/?next=${ctx.pathname}` }, body: '' };
    }
    return unauthorized('Not logged in: API authentication or user session required', ctx.realm);
  }
  const credentials = basicCredentials(authorization);
  if (credentials === 'not-basic') return jsonError(400, 'This endpoint requires HTTP basic authentication.', 'BAD_REQUEST');
  if (!credentials) return unauthorized('Invalid authorization header for basic auth', ctx.realm);

  const email = credentials.role.trim();
  const apiKey = credentials.apiKey.trim();
  if (!/^[A-Za-z0-9]{32}$/.test(apiKey)) return unauthorized('Malformed API key', ctx.realm);
  // Keys are looked up server-wide; the realm is checked last.
  const local = ctx.realm?.users.find((u) => u.apiKey === apiKey);
  const user = local ?? ctx.realm?.otherRealmUsers?.find((u) => u.apiKey === apiKey);
  if (!ctx.realm || !user || email.toLowerCase() !== user.email.toLowerCase()) return unauthorized('Invalid API key', ctx.realm);
  // zerver/decorator.py validate_account_and_subdomain (8.0, main): the key owner's own realm is
  // judged first, whichever host was asked, then the account, then the subdomain.
  if (local ? ctx.realm.deactivated : ctx.realm.otherRealmsDeactivated) return unauthorized('This organization has been deactivated', ctx.realm);
  if (!isUserActive(user)) return unauthorized('Account is deactivated', ctx.realm);
  if (!local) return unauthorized('Account is not associated with this subdomain', ctx.realm);

  // authenticated_rest_api_view rate-limits only once the key is accepted (rate_limit_user,
  // domain "api_by_user"), keyed by the user; a refusal is RateLimitedError as for fetch_api_key.
  const rule = ctx.realm.apiRateLimit === false ? null : (ctx.realm.apiRateLimit ?? DEFAULT_API_RATE_LIMIT);
  let limitHeaders: Record<string, string> = {};
  if (rule) {
    const outcome = ctx.limiter.hit(`RateLimitedUser:${user.userId}:api_by_user`, rule, ctx.nowSeconds);
    limitHeaders = rateLimitHeaders(outcome, ctx.nowSeconds);
    if (outcome.limited) return rateLimited(outcome.secondsToFreedom, serverFacts(ctx.realm), limitHeaders);
  }
  return success(ownProfile(user), { 'Cache-Control': 'max-age=0, no-cache, no-store, must-revalidate, private', ...limitHeaders });
}

// ---------------------------------------------------------------- dev_list_users, dev_fetch_api_key

// API_FEATURE_LEVEL in version.py at the 4.0 tag, the release that moved the development endpoints.
const ZULIP_4_0_FEATURE_LEVEL = 65;

/**
 * zproject/urls.py adds zproject/dev_urls.py's v1_api_mobile_patterns (dev_list_users,
 * dev_fetch_api_key) only `if settings.DEVELOPMENT`, since commit 0ab3e15d71 (Zulip 4.0; 8.0 and main
 * alike): a production server does not route them, and Django answers its 404 page. 2.1-3.x routed
 * them everywhere. A host without a realm stands for an unknown subdomain of a development server.
 */
function devEndpointsRouted(realm: FakeRealmConfig | null): boolean {
  if (!realm) return true;
  const facts = serverFacts(realm);
  return !facts.production || facts.featureLevel < ZULIP_4_0_FEATURE_LEVEL;
}

/**
 * Once routed, the endpoints refuse when DevAuthBackend is off: 2.1-3.x zerver/views/auth.py with
 * json_error("Dev environment not enabled.") (400, no code; production too), 4.0 and later
 * zerver/views/development/dev_login.py check_dev_auth_backend with "DevAuthBackend not enabled."
 * (its "Endpoint not available in production." cannot be reached outside Zulip's test suite).
 */
function devAuthRefusal(realm: FakeRealmConfig | null): Reply | null {
  if (!realm) return null;
  const facts = serverFacts(realm);
  if (facts.featureLevel < ZULIP_4_0_FEATURE_LEVEL) {
    return facts.production || !facts.devAuthEnabled ? jsonError(400, 'Dev environment not enabled.', undefined) : null;
  }
  return facts.devAuthEnabled ? null : jsonError(400, 'DevAuthBackend not enabled.', 'BAD_REQUEST');
}

/**
 * api_dev_list_users (any method): the active users split by is_realm_admin (owners and
 * administrators, role 200 or less), each sorted by email. The real server lists every realm's
 * users, each with its own realm's URL; the fake knows only its own realm's.
 */
export function devListUsers(ctx: RequestContext): Reply {
  if (!devEndpointsRouted(ctx.realm)) return notFound();
  const refusal = devAuthRefusal(ctx.realm);
  if (refusal) return refusal;
  const users = (ctx.realm?.users ?? []).filter(isUserActive).sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
  const urlKey = (ctx.realm ? serverFacts(ctx.realm).featureLevel : 0) >= 257 ? 'realm_url' : 'realm_uri';
  const entry = (user: FakeUser) => ({ email: user.email, [urlKey]: ctx.realmUrl });
  const isAdmin = (user: FakeUser) => (user.role ?? 400) <= 200;
  return success({
    direct_admins: users.filter(isAdmin).map(entry),
    direct_users: users.filter((user) => !isAdmin(user)).map(entry),
  });
}

/** api_dev_fetch_api_key: fetch_api_key without a password, in the same order of checks. */
export function devFetchApiKey(ctx: RequestContext): Reply {
  if (!devEndpointsRouted(ctx.realm)) return notFound();
  if (ctx.method !== 'POST') return zulipNotAllowed(['POST']);
  const post = parseFormBody(ctx.headers['content-type'], ctx.body);
  const username = lastValue(post, 'username') ?? lastValue(parseQueryString(ctx.query), 'username');
  if (username === undefined) return missingArgument('username');
  const refusal = devAuthRefusal(ctx.realm);
  if (refusal) return refusal;
  // DevAuthBackend never consults LDAP: the username is always an email.
  if (!isValidEmail(username)) return jsonError(400, 'Enter a valid email address.', 'BAD_REQUEST');
  const realm = ctx.realm;
  if (!realm) return nonexistentSubdomain();
  const facts = serverFacts(realm);
  const wanted = username.toLowerCase();
  const user = realm.users.find((candidate) => candidate.email.toLowerCase() === wanted);
  // dev_login.py answers invalid_subdomain since commit 331f34cc1f (feature level 76, Zulip 5.0); before, such an email was unknown.
  if (!user) return emailInOtherRealm(realm, username) && facts.featureLevel >= 76 ? nonexistentSubdomain() : devUnknownUser(facts);
  if (realm.deactivated) return authFailure('REALM_DEACTIVATED', facts);
  if (!isUserActive(user)) return authFailure('USER_DEACTIVATED', facts);
  const data: Record<string, unknown> = { api_key: user.apiKey, email: user.email };
  if (facts.featureLevel >= 171) data['user_id'] = user.userId;
  return success(data);
}

// ---------------------------------------------------------------- pages

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function htmlPage(status: number, title: string): Reply {
  const t = escapeHtml(title);
  return { status, headers: { 'Content-Type': HTML_TYPE }, body: `<!doctype html><title>${t}</title><h1>${t}</h1>\n` };
}

/** A page with content beyond a heading, for the SSO flow's pages. */
export function htmlDocument(status: number, title: string, content: string): Reply {
  const body = `<!doctype html><html lang="en"><meta charset="utf-8"><title>${escapeHtml(title)}</title>\n${content}\n`;
  return { status, headers: { 'Content-Type': HTML_TYPE }, body };
}

/** A page on the realm's origin for browser tests to open. */
export function rootPage(ctx: RequestContext): Reply {
  if (ctx.realm) return htmlPage(200, ctx.realm.name);
  return ctx.realmlessHost === 'unknown-subdomain' ? htmlPage(404, 'Organization does not exist') : htmlPage(200, 'Zulip');
}

/** Path of the realm icon when it is served by the realm itself. */
export function realmIconPath(realm: FakeRealmConfig | null): string | null {
  if (!realm?.icon.startsWith('/') || realm.icon.startsWith('//')) return null;
  return realm.icon.split(/[?#]/)[0] ?? null;
}

export function realmIcon(realm: FakeRealmConfig): Reply {
  const initial = escapeHtml([...realm.name.trim()][0]?.toUpperCase() ?? 'Z');
  return {
    status: 200,
    headers: { 'Content-Type': 'image/svg+xml' },
    body:
      '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100">' +
      `<rect width="100" height="100" rx="20" fill="#6492fd"/><text x="50" y="68" font-size="56" ` +
      `font-family="sans-serif" text-anchor="middle" fill="#fff">${initial}</text></svg>`,
  };
}

/**
 * Django's page_not_found for any unrouted path, /api/ ones included (Zulip has no JSON 404 and sets
 * no handler404): Zulip's templates/404.html (8.0 and main), shown here without the portico's
 * header, styles and footer.
 */
export function notFound(): Reply {
  return htmlDocument(
    404,
    'Error | Zulip',
    '<div class="errorbox">\n<div class="errorcontent">\n<h1 class="lead">Page not found (404)</h1>\n' +
      '<p>If this error is unexpected, you can <a href="mailto:support@example.com">contact support</a>.</p>\n</div>\n</div>',
  );
}
