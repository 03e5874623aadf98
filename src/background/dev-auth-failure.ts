// How a development server's refusals read (docs/zulip-api.md §3). Its two 400s, a
// production server and DevAuthBackend turned off, differ only in msg, which the client asks for
// in English; everything else reads as for a password sign-in.
import type { RealmInfo } from '../shared/zulip/api-client';
import { ApiError } from '../shared/zulip/api-error';
import { apiFailure, failure, type BackgroundDeps } from './handlers/handler';

/** `signingIn`: the realm and email of a dev_fetch_api_key, null for dev_list_users. */
export function devAuthFailure(error: unknown, origin: string, signingIn: { realm: RealmInfo; email: string } | null, deps: BackgroundDeps) {
  if (error instanceof ApiError && error.failure.kind === 'zulip') {
    const { status, code, msg } = error.failure;
    if (status === 400 && msg === 'Endpoint not available in production.') return failure('DEV_AUTH_UNAVAILABLE', deps.t('error_dev_production', [origin]));
    if (status === 400 && msg === 'DevAuthBackend not enabled.') return failure('DEV_AUTH_UNAVAILABLE', deps.t('error_dev_auth_disabled', [origin]));
    // No password was checked: the only way to fail authentication is an email without an account.
    if (code === 'AUTHENTICATION_FAILED' && signingIn) {
      return failure('AUTHENTICATION_FAILED', deps.t('error_dev_user_unknown', [signingIn.realm.name, signingIn.email]));
    }
  }
  return apiFailure(error, origin, true, deps);
}
