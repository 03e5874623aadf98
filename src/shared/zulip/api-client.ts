// The Zulip calls the extension makes, each returning checked data or throwing ApiError: the three
// of the sign-in path, the check of a stored or pasted key, and a development server's sign-in.
import { ApiError } from './api-error';
import { DEFAULT_LIMITS, exchange, findRedirectTarget, type FetchLike, type HttpLimits, type RawResponse } from './http';
import { zulipSchemas, type ErrorBody, type ServerSettings } from './schemas';
import { apiUrl, isLoopbackHostname, originOf, resolveIconUrl } from '../realm-url';

export interface RealmInfo {
  /** The server's own canonical URL (realm_url, or realm_uri before feature level 257): the account's identity. */
  realmUrl: string;
  name: string;
  iconUrl: string | null;
  zulipVersion: string;
  featureLevel: number;
  /** Email or LDAP password sign-in is allowed. */
  passwordAuth: boolean;
  /** False on LDAP realms whose people sign in with a username. */
  usernameIsEmail: boolean;
  /** The single sign-on methods, in the server's order. */
  externalMethods: ExternalAuthMethod[];
  /** A development server whose DevAuthBackend signs anyone in without a password (§3). */
  devAuth: boolean;
}

/** One of server_settings' external_authentication_methods (SSO through Zulip's mobile flow). */
export interface ExternalAuthMethod {
  /** Zulip's name for it ("google", "saml:idp_name"): how the popup names the choice to the background. */
  name: string;
  displayName: string;
  /** Absolute (resolved against the realm), or null. */
  iconUrl: string | null;
  /** As the server gave it: relative to the realm. */
  loginUrl: string;
  /**
   * The origin that answers the flow's final redirect when it is not the realm's (multi-organization
   * servers complete SSO on their root or social-auth host), learned when the realm is looked up;
   * null when it is the realm's or could not be learned.
   */
  completionOrigin: string | null;
}

export interface OwnUser {
  userId: number;
  email: string;
}

export interface ApiKeyGrant {
  apiKey: string;
  email: string;
  userId: number | null;
}

/**
 * What users/me says about a key (docs/zulip-api.md §4). Every 401 refuses the key but one, the
 * answer to a request that reached Zulip without it (NOT_LOGGED_IN_MSG); the deactivations are
 * told apart only to say why.
 */
export type KeyVerdict =
  | { kind: 'valid'; userId: number }
  | { kind: 'invalid' }
  | { kind: 'user-deactivated' }
  | { kind: 'realm-deactivated' };

/**
 * users/me's answer about a key someone typed: beside the verdicts of a stored key, a key the
 * server finds malformed, and one that belongs to another organization on the server.
 */
export type KeyAnswer = KeyVerdict | { kind: 'malformed' } | { kind: 'other-realm' };

/** A development server's users that may sign in without a password, by email. */
export interface DevUser {
  email: string;
  /** The user's realm (dev_list_users lists every realm on the server), as the server names it. */
  realmUrl: string | null;
}

export interface ZulipClientOptions {
  fetch?: FetchLike;
  limits?: Partial<HttpLimits>;
}

export function createZulipClient(options: ZulipClientOptions = {}) {
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const limits: HttpLimits = { ...DEFAULT_LIMITS, ...options.limits };

  async function call(url: string, init: RequestInit): Promise<RawResponse> {
    try {
      return await exchange(url, init, limits, fetchImpl);
    } catch (error) {
      if (error instanceof ApiError && error.failure.kind === 'redirect' && error.failure.location === null) {
        throw new ApiError({ kind: 'redirect', location: await findRedirectTarget(url, limits, fetchImpl) });
      }
      throw error;
    }
  }

  return {
    async getServerSettings(origin: string): Promise<RealmInfo> {
      const raw = await call(apiUrl(origin, 'server_settings'), { method: 'GET', headers: { Accept: 'application/json' } });
      let body: unknown;
      try {
        body = successBody(raw, zulipSchemas().serverSettings);
      } catch (error) {
        // Zulip answers 400 "Invalid subdomain" / "Subdomain required" when no organization is at this host.
        if (error instanceof ApiError && error.failure.kind === 'zulip' && error.failure.status === 400) {
          throw new ApiError({ kind: 'no-realm' });
        }
        throw error;
      }
      return realmInfoFrom(zulipSchemas().serverSettings.parse(body), raw.status);
    },

    async fetchApiKey(realmUrl: string, username: string, password: string): Promise<ApiKeyGrant> {
      const raw = await call(apiUrl(realmUrl, 'fetch_api_key'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams({ username, password }).toString(),
      });
      return grantFrom(raw);
    },

    /**
     * Whose a key is, for ways in whose server does not say (fetch_api_key before feature level 171,
     * single sign-on before 108), with the email as the server spells it when it gives one.
     */
    async getOwnUser(realmUrl: string, email: string, apiKey: string): Promise<OwnUser> {
      const body = zulipSchemas().ownUser.parse(successBody(await usersMe(realmUrl, email, apiKey), zulipSchemas().ownUser));
      return { userId: body.user_id, email: body.email ?? email };
    },

    /** Whether the realm accepts a key. Throws ApiError when it gave no verdict (network, 5xx, 429…). */
    async checkApiKey(realmUrl: string, email: string, apiKey: string): Promise<KeyVerdict> {
      const answer = await askUsersMe(realmUrl, email, apiKey);
      // A stored key the server finds malformed or another organization's is refused all the same.
      return answer.kind === 'malformed' || answer.kind === 'other-realm' ? { kind: 'invalid' } : answer;
    },

    /** checkApiKey for a key typed by a person, who is told why it was refused. */
    verifyApiKey(realmUrl: string, email: string, apiKey: string): Promise<KeyAnswer> {
      return askUsersMe(realmUrl, email, apiKey);
    },

    /** dev_list_users (§3), in English: its refusals are told apart by msg alone. */
    async devListUsers(realmUrl: string): Promise<{ admins: DevUser[]; users: DevUser[] }> {
      const raw = await call(apiUrl(realmUrl, 'dev_list_users'), { method: 'GET', headers: { Accept: 'application/json', 'Accept-Language': 'en' } });
      const body = zulipSchemas().devUsers.parse(successBody(raw, zulipSchemas().devUsers));
      const devUser = (entry: (typeof body.direct_users)[number]): DevUser => ({ email: entry.email, realmUrl: entry.realm_url ?? entry.realm_uri ?? null });
      return { admins: body.direct_admins.map(devUser), users: body.direct_users.map(devUser) };
    },

    /** dev_fetch_api_key (§3): fetch_api_key without a password, on development servers. */
    async devFetchApiKey(realmUrl: string, email: string): Promise<ApiKeyGrant> {
      const raw = await call(apiUrl(realmUrl, 'dev_fetch_api_key'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', 'Accept-Language': 'en' },
        body: new URLSearchParams({ username: email }).toString(),
      });
      return grantFrom(raw);
    },
  };

  /** users/me with a key; throws when the key did not reach Zulip, which is no answer about it. */
  async function usersMe(realmUrl: string, email: string, apiKey: string): Promise<RawResponse> {
    const raw = await call(apiUrl(realmUrl, 'users/me'), {
      method: 'GET',
      // English, because the refusals are told apart by msg alone (see keyRefusal).
      headers: { Authorization: basicAuthorization(email, apiKey), Accept: 'application/json', 'Accept-Language': 'en' },
    });
    if (raw.status === 401 && errorMessage(raw) === NOT_LOGGED_IN_MSG) throw new ApiError({ kind: 'key-not-received' });
    return raw;
  }

  async function askUsersMe(realmUrl: string, email: string, apiKey: string): Promise<KeyAnswer> {
    const raw = await usersMe(realmUrl, email, apiKey);
    if (raw.status === 401) return { kind: keyRefusal(raw) };
    return { kind: 'valid', userId: zulipSchemas().ownUser.parse(successBody(raw, zulipSchemas().ownUser)).user_id };
  }
}

/**
 * What Zulip answers an /api/ request that reached it without credentials (zerver/lib/rest.py
 * rest_dispatch in 2.1.0, zerver/middleware.py MissingAuthenticationError since 6.0; with code
 * UNAUTHORIZED from feature level 134, without before). We always send the Authorization header, so
 * this answer means something on the way removed it.
 */
const NOT_LOGGED_IN_MSG = 'Not logged in: API authentication or user session required';

const USER_DEACTIVATED_MSGS = [
  'Account is deactivated',
  // zerver/decorator.py validate_account_and_subdomain before Zulip 1.9.0.
  'Account not active',
];

const REALM_DEACTIVATED_MSGS = [
  'This organization has been deactivated',
  // The spec's example; the server code says "has been".
  'This organization is deactivated',
];

/**
 * The reference: treat any 401 on an authenticated call as invalid credentials, whatever its code.
 * Zulip's decorator turns every refusal into code UNAUTHORIZED, so only msg names a deactivation;
 * the USER_DEACTIVATED / REALM_DEACTIVATED codes are read too, for servers that keep them.
 */
function keyRefusal(raw: RawResponse): Exclude<KeyAnswer['kind'], 'valid'> {
  const error = errorBody(raw);
  if (error === null) return 'invalid';
  const { code, msg } = error;
  if (code === 'USER_DEACTIVATED' || USER_DEACTIVATED_MSGS.includes(msg)) return 'user-deactivated';
  if (code === 'REALM_DEACTIVATED' || REALM_DEACTIVATED_MSGS.includes(msg)) return 'realm-deactivated';
  if (msg === 'Malformed API key') return 'malformed';
  if (msg === 'Account is not associated with this subdomain') return 'other-realm';
  return 'invalid';
}

export type ZulipClient = ReturnType<typeof createZulipClient>;

export function basicAuthorization(email: string, apiKey: string): string {
  const bytes = new TextEncoder().encode(`${email}:${apiKey}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/** What fetch_api_key and dev_fetch_api_key answer alike. */
function grantFrom(raw: RawResponse): ApiKeyGrant {
  const body = zulipSchemas().apiKeyResponse.parse(successBody(raw, zulipSchemas().apiKeyResponse));
  return { apiKey: body.api_key, email: body.email, userId: body.user_id ?? null };
}

/** The parsed JSON of a success answer that fits `schema`, or the ApiError that describes why not. */
function successBody(raw: RawResponse, schema: { safeParse(data: unknown): { success: boolean } }): unknown {
  // Zulip's own 500 is JSON too ({"result":"error","msg":"Internal server error"}, no code: zerver/middleware.py
  // JsonErrorHandler, 2.1.0 to main): a fault of the server, whatever its body says.
  if (raw.status >= 500) throw new ApiError({ kind: 'server-error', status: raw.status });
  const json = parseJson(raw.text);
  const error = zulipSchemas().errorBody.safeParse(json);
  if (error.success) {
    throw new ApiError({
      kind: 'zulip',
      status: raw.status,
      code: error.data.code ?? legacyCode(raw.status, error.data.reason),
      msg: error.data.msg,
      retryAfterSeconds: retryAfterSeconds(error.data['retry-after'], raw.headers),
    });
  }
  if (raw.status === 429) {
    // A proxy in front of Zulip may rate-limit with a body of its own; the header still says when.
    throw new ApiError({ kind: 'zulip', status: 429, code: null, msg: '', retryAfterSeconds: retryAfterSeconds(undefined, raw.headers) });
  }
  const looksLikeZulip = typeof json === 'object' && json !== null && 'result' in json;
  if (!looksLikeZulip) throw new ApiError({ kind: 'not-zulip', status: raw.status });
  if (raw.status !== 200 || !schema.safeParse(json).success) throw new ApiError({ kind: 'malformed', status: raw.status });
  return json;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errorBody(raw: RawResponse): ErrorBody | null {
  const error = zulipSchemas().errorBody.safeParse(parseJson(raw.text));
  return error.success ? error.data : null;
}

function errorMessage(raw: RawResponse): string | null {
  return errorBody(raw)?.msg ?? null;
}

/**
 * The codes of today's refusals, for their forms before feature level 76: a 403 without code whose
 * `reason` says why (zerver/views/auth.py api_fetch_api_key and api_dev_fetch_api_key in Zulip
 * 2.1.0 to 4.x; "password reset needed" from feature level 62). "unregistered" is
 * dev_fetch_api_key's unknown user, which is AUTHENTICATION_FAILED now.
 */
const LEGACY_REASON_CODES: Partial<Record<string, string>> = {
  incorrect_creds: 'AUTHENTICATION_FAILED',
  unregistered: 'AUTHENTICATION_FAILED',
  'user disable': 'USER_DEACTIVATED',
  'realm deactivated': 'REALM_DEACTIVATED',
  'password auth disabled': 'PASSWORD_AUTH_DISABLED',
  'password reset needed': 'PASSWORD_RESET_REQUIRED',
};

function legacyCode(status: number, reason: string | undefined): string | null {
  return status === 403 && reason !== undefined ? (LEGACY_REASON_CODES[reason] ?? null) : null;
}

/** Zulip sends the delay as a float, in the body and in the header; round up so we never retry early. */
function retryAfterSeconds(fromBody: number | undefined, headers: Headers): number | null {
  const candidates = [fromBody, Number.parseFloat(headers.get('retry-after') ?? '')];
  const seconds = candidates.find((value): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0);
  return seconds === undefined ? null : Math.ceil(seconds);
}

function realmInfoFrom(settings: ServerSettings, status: number): RealmInfo {
  const realmUrl = settings.realm_url ?? settings.realm_uri;
  // A multi-organization root answers without a realm name (zulip-mobile reads that as "Subdomain required").
  if (settings.realm_name === undefined || realmUrl === undefined) throw new ApiError({ kind: 'no-realm' });
  const origin = originOf(realmUrl);
  if (origin === null) throw new ApiError({ kind: 'malformed', status });
  const { protocol, hostname } = new URL(origin);
  if (protocol === 'http:' && !isLoopbackHostname(hostname)) throw new ApiError({ kind: 'insecure-realm', realmUrl: origin });
  const methods = settings.authentication_methods ?? {};
  return {
    realmUrl: origin,
    name: settings.realm_name,
    iconUrl: resolveIconUrl(settings.realm_icon, origin),
    zulipVersion: settings.zulip_version,
    featureLevel: settings.zulip_feature_level ?? 0,
    passwordAuth: settings.email_auth_enabled === true || methods.ldap === true,
    usernameIsEmail: settings.require_email_format_usernames !== false,
    externalMethods: (settings.external_authentication_methods ?? []).map((method) => ({
      name: method.name,
      displayName: method.display_name,
      iconUrl: resolveIconUrl(method.display_icon, origin),
      loginUrl: method.login_url,
      completionOrigin: null,
    })),
    devAuth: methods['dev'] === true,
  };
}

