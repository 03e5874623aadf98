// The Zulip calls the extension makes, each returning checked data or throwing ApiError: the three
// of the sign-in path, the check of a stored or pasted key, and a development server's sign-in.
import { ApiError } from './api-error';
import { DEFAULT_LIMITS, exchange, findRedirectTarget, type FetchLike, type HttpLimits, type RawResponse } from './http';
import { keyNotReceived, keyRefusal, type KeyAnswer, type KeyVerdict } from './key-answer';
import { realmInfoFrom, type RealmInfo } from './realm-info';
import { successBody } from './response-body';
import { zulipSchemas, type ServerSettings } from './schemas';
import { apiUrl } from '../realm-url';

export interface OwnUser {
  userId: number;
  email: string;
}

export interface ApiKeyGrant {
  apiKey: string;
  email: string;
  userId: number | null;
}

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
      let settings: ServerSettings;
      try {
        settings = successBody(raw, zulipSchemas().serverSettings);
      } catch (error) {
        // Zulip answers 400 "Invalid subdomain" / "Subdomain required" when no organization is at this host.
        if (error instanceof ApiError && error.failure.kind === 'zulip' && error.failure.status === 400) {
          throw new ApiError({ kind: 'no-realm' });
        }
        throw error;
      }
      return realmInfoFrom(settings, raw.status);
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
      const body = successBody(await usersMe(realmUrl, email, apiKey), zulipSchemas().ownUser);
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
      const body = successBody(raw, zulipSchemas().devUsers);
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
    if (keyNotReceived(raw)) throw new ApiError({ kind: 'key-not-received' });
    return raw;
  }

  async function askUsersMe(realmUrl: string, email: string, apiKey: string): Promise<KeyAnswer> {
    const raw = await usersMe(realmUrl, email, apiKey);
    if (raw.status === 401) return { kind: keyRefusal(raw) };
    return { kind: 'valid', userId: successBody(raw, zulipSchemas().ownUser).user_id };
  }
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
  const body = successBody(raw, zulipSchemas().apiKeyResponse);
  return { apiKey: body.api_key, email: body.email, userId: body.user_id ?? null };
}

