// Username and password in, a stored account out: the password goes to the realm and nowhere else.
import type { ErrorInfo } from '../../shared/error-info';
import { originOf } from '../../shared/realm-url';
import type { ZulipClient } from '../../shared/zulip/api-client';
import { describeRateLimit } from '../failures/describe-failure';
import { storeGrant } from '../accounts/store-grant';
import { apiFailure, failure, lockedFailure, reachableOrigin, reachableRealm, type BackgroundDeps, type Handler } from './handler';

/** The refusal a realm's rate limit on this username calls for, while it lasts (see sign-in-backoff.ts). */
async function rateLimitLock(origin: string, username: string, deps: BackgroundDeps): Promise<ErrorInfo | null> {
  const retryAt = await deps.signInBackoff.retryAt(origin, username);
  return retryAt === null ? null : describeRateLimit(retryAt, { now: deps.now(), locale: deps.locale }, deps.t);
}

export const signInLock: Handler<'account.signInLock'> = async (request, _sender, deps) => {
  const origin = originOf(request.realmUrl);
  if (origin === null) return failure('INVALID_REQUEST', deps.t('error_invalid_request'));
  return { ok: true, lock: await rateLimitLock(origin, request.username, deps) };
};

export const signInOutcome: Handler<'account.signInOutcome'> = async (_request, _sender, deps) => ({
  ok: true,
  outcome: await deps.signInOutcomes.take(),
});

export const signIn: Handler<'account.signIn'> = async (request, _sender, deps) => {
  const locked = await lockedFailure(deps);
  if (locked) return locked;
  const target = await reachableOrigin(request.realmUrl, deps);
  if (!('origin' in target)) return target;
  // Before any request: an attempt during the lock would be refused and counted by the server.
  const lock = await rateLimitLock(target.origin, request.username, deps);
  if (lock) return { ok: false, error: lock };
  // Asked again rather than trusted from the popup: the realm's name, icon and canonical URL are stored.
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
