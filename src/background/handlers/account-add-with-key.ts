// An API key pasted by hand: users/me must accept it for that email before anything is stored.
import { API_KEY_PATTERN } from '../../shared/zulip/api-key-format';
import type { KeyAnswer } from '../../shared/zulip/key-answer';
import { ApiError } from '../../shared/zulip/api-error';
import { describeCheckFailure } from '../failures/describe-failure';
import { storeGrant } from '../accounts/store-grant';
import { failure, lockedFailure, reachableRealm, type Handler } from './handler';

export const addAccountWithKey: Handler<'account.addWithKey'> = async (request, _sender, deps) => {
  // Trimmed as Zulip trims both before comparing; the email is stored as the key was accepted with.
  const email = request.email.trim();
  const apiKey = request.apiKey.trim();
  if (email === '') return failure('INVALID_REQUEST', deps.t('error_invalid_request'));
  // Zulip's own format (has_api_key_format), before anything is sent.
  if (!API_KEY_PATTERN.test(apiKey)) return failure('API_KEY_MALFORMED', deps.t('error_api_key_malformed'));
  // A key accepted while locked could not be sealed (see lockedFailure).
  const locked = await lockedFailure(deps);
  if (locked) return locked;
  const found = await reachableRealm(request.realmUrl, deps, true);
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
