// How a development server's refusals read (docs/zulip-api.md §3). A production server of Zulip 4.0
// or later does not route the development endpoints at all (zproject/urls.py adds
// zproject/dev_urls.py only if settings.DEVELOPMENT), so Django's HTML 404 page is its answer, not a
// sign that this is no Zulip server: server_settings answered just before. The 400s, DevAuthBackend
// turned off (and, on 2.1-3.x, production too), differ only in msg, which the client asks for in
// English; everything else reads as for a password sign-in.
import type { RealmInfo } from '../../shared/zulip/realm-info';
import { ApiError } from '../../shared/zulip/api-error';
import { apiFailure, failure, type ReplyDeps } from './reply';

/** `signingIn`: the realm and email of a dev_fetch_api_key, null for dev_list_users. */
export function devAuthFailure(error: unknown, origin: string, signingIn: { realm: RealmInfo; email: string } | null, deps: ReplyDeps) {
  if (error instanceof ApiError && error.failure.kind === 'not-zulip' && error.failure.status === 404) {
    return failure('DEV_AUTH_UNAVAILABLE', deps.t('error_dev_production', [origin]));
  }
  if (error instanceof ApiError && error.failure.kind === 'zulip') {
    const { status, code, msg } = error.failure;
    // Zulip's own test suite is the one place a 4.0+ server says this; a real one answers the 404 above.
    if (status === 400 && msg === 'Endpoint not available in production.') return failure('DEV_AUTH_UNAVAILABLE', deps.t('error_dev_production', [origin]));
    if (status === 400 && msg === 'DevAuthBackend not enabled.') return failure('DEV_AUTH_UNAVAILABLE', deps.t('error_dev_auth_disabled', [origin]));
    if (status === 400 && msg === 'Dev environment not enabled.') return failure('DEV_AUTH_UNAVAILABLE', deps.t('error_dev_unavailable', [origin]));
    // No password was checked: the only way to fail authentication is an email without an account.
    if (code === 'AUTHENTICATION_FAILED' && signingIn) {
      return failure('AUTHENTICATION_FAILED', deps.t('error_dev_user_unknown', [signingIn.realm.name, signingIn.email]));
    }
  }
  return apiFailure(error, origin, true, deps);
}
