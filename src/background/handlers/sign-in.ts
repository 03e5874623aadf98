// The ways in that end in a stored account: a username and password, a pasted API key, a
// development server's user. Each asks the realm for itself rather than trusting the popup: the
// realm's name, icon and canonical URL are stored.
import type { ErrorInfo } from '../../shared/error-info';
import { API_KEY_PATTERN } from '../../shared/zulip/api-key-format';
import type { ApiKeyGrant, ZulipClient } from '../../shared/zulip/api-client';
import type { KeyAnswer } from '../../shared/zulip/key-answer';
import { ApiError } from '../../shared/zulip/api-error';
import { storeGrant } from '../accounts/store-grant';
import type { BackgroundDeps } from '../deps';
import { describeCheckFailure, describeRateLimit } from '../failures/describe-failure';
import { devAuthFailure } from '../failures/dev-auth-failure';
import { apiFailure, failure } from '../failures/reply';
import type { Handler } from './handler';
import { lockedFailure, namedOrigin, reachableOrigin, reachableRealm, realmToStoreFor } from './guards';

/** The refusal a realm's rate limit on this username calls for, while it lasts (see sign-in-backoff.ts). */
async function rateLimitLock(origin: string, username: string, deps: BackgroundDeps): Promise<ErrorInfo | null> {
  const retryAt = await deps.signInBackoff.retryAt(origin, username);
  return retryAt === null ? null : describeRateLimit(retryAt, { now: deps.now(), locale: deps.locale }, deps.t);
}

export const signInLock: Handler<'account.signInLock'> = async (request, _sender, deps) => {
  const named = namedOrigin(request.realmUrl, deps);
  if (!('origin' in named)) return named;
  return { ok: true, lock: await rateLimitLock(named.origin, request.username, deps) };
};

export const signInOutcome: Handler<'account.signInOutcome'> = async (_request, _sender, deps) => ({
  ok: true,
  outcome: await deps.signInOutcomes.take(),
});

/** Username and password in, a stored account out: the password goes to the realm and nowhere else. */
export const signIn: Handler<'account.signIn'> = async (request, _sender, deps) => {
  const locked = await lockedFailure(deps);
  if (locked) return locked;
  const target = await reachableOrigin(request.realmUrl, deps);
  if (!('origin' in target)) return target;
  // Before any request: an attempt during the lock would be refused and counted by the server.
  const lock = await rateLimitLock(target.origin, request.username, deps);
  if (lock) return { ok: false, error: lock };
  const found = await reachableRealm(target.origin, deps, true);
  if (!('realm' in found)) return found;
  const { realm } = found;
  let grant: Awaited<ReturnType<ZulipClient['fetchApiKey']>>;
  try {
    grant = await deps.zulip.fetchApiKey(realm.realmUrl, request.username, request.password);
  } catch (error) {
    const refused = apiFailure(error, realm.realmUrl, realm.usernameIsEmail, deps);
    if (refused.error.retryAt !== undefined) await deps.signInBackoff.remember(target.origin, request.username, refused.error.retryAt);
    return refused;
  }
  await deps.signInBackoff.forget(target.origin, request.username);
  return storeGrant(realm, grant, deps);
};

/** An API key pasted by hand: users/me must accept it for that email before anything is stored. */
export const addAccountWithKey: Handler<'account.addWithKey'> = async (request, _sender, deps) => {
  // Trimmed as Zulip trims both before comparing; the email is stored as the key was accepted with.
  const email = request.email.trim();
  const apiKey = request.apiKey.trim();
  if (email === '') return failure('INVALID_REQUEST', deps.t('error_invalid_request'));
  // Zulip's own format (has_api_key_format), before anything is sent.
  if (!API_KEY_PATTERN.test(apiKey)) return failure('API_KEY_MALFORMED', deps.t('error_api_key_malformed'));
  const found = await realmToStoreFor(request.realmUrl, deps);
  if (!('realm' in found)) return found;
  const { realm } = found;
  let answer: KeyAnswer;
  try {
    answer = await deps.zulip.verifyApiKey(realm.realmUrl, email, apiKey);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    // A 429 or a proxy's 400 says nothing about the key: described as a check that got no verdict.
    const context = { origin: realm.realmUrl, usernameIsEmail: true, now: deps.now(), locale: deps.locale };
    return { ok: false, error: describeCheckFailure(error.failure, context, deps.t) };
  }
  switch (answer.kind) {
    case 'valid':
      return storeGrant(realm, { apiKey, email, userId: answer.userId }, deps);
    case 'malformed':
      return failure('API_KEY_MALFORMED', deps.t('error_api_key_malformed'));
    case 'invalid':
      return failure('API_KEY_INVALID', deps.t('error_api_key_invalid', [realm.name, email]));
    case 'other-realm':
      return failure('NONEXISTENT_SUBDOMAIN', deps.t('error_nonexistent_subdomain'));
    case 'user-deactivated':
      return failure('USER_DEACTIVATED', deps.t('error_user_deactivated'));
    case 'realm-deactivated':
      return failure('REALM_DEACTIVATED', deps.t('error_realm_deactivated'));
  }
};

/** Signs in as one of a development server's users: dev_fetch_api_key needs no password. */
export const devSignIn: Handler<'account.devSignIn'> = async (request, _sender, deps) => {
  const found = await realmToStoreFor(request.realmUrl, deps);
  if (!('realm' in found)) return found;
  const { realm } = found;
  const email = request.email.trim();
  let grant: ApiKeyGrant;
  try {
    grant = await deps.zulip.devFetchApiKey(realm.realmUrl, email);
  } catch (error) {
    return devAuthFailure(error, realm.realmUrl, { realm, email }, deps);
  }
  return storeGrant(realm, grant, deps);
};
