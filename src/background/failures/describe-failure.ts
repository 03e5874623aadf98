// Turns a failed Zulip call into the sentence a person reads. Zulip's own `msg` is shown only
// when nothing more specific is known: it is translated by the server, but we cannot vouch for it.
import type { ErrorCode, ErrorInfo } from '../../shared/error-info';
import type { ApiFailure } from '../../shared/zulip/api-error';

export type GetMessage = (key: string, substitutions?: string | string[]) => string;

export interface FailureContext {
  /** The server the call went to, as shown to the person. */
  origin: string;
  /** LDAP realms sign in with a username rather than an email. */
  usernameIsEmail: boolean;
  now: number;
  locale: string;
}

const MAX_SERVER_MESSAGE = 300;

const ZULIP_CODES: Partial<Record<string, { code: ErrorCode; key: string }>> = {
  USER_DEACTIVATED: { code: 'USER_DEACTIVATED', key: 'error_user_deactivated' },
  REALM_DEACTIVATED: { code: 'REALM_DEACTIVATED', key: 'error_realm_deactivated' },
  PASSWORD_AUTH_DISABLED: { code: 'PASSWORD_AUTH_DISABLED', key: 'error_password_auth_disabled' },
  PASSWORD_RESET_REQUIRED: { code: 'PASSWORD_RESET_REQUIRED', key: 'error_password_reset_required' },
  NONEXISTENT_SUBDOMAIN: { code: 'NONEXISTENT_SUBDOMAIN', key: 'error_nonexistent_subdomain' },
};

export function describeFailure(failure: ApiFailure, context: FailureContext, t: GetMessage): ErrorInfo {
  const { origin } = context;
  const error = (code: ErrorCode, key: string, substitutions: string[] = []): ErrorInfo => ({
    code,
    message: t(key, substitutions),
  });
  switch (failure.kind) {
    case 'network':
      return error('NETWORK', 'error_network', [origin]);
    case 'timeout':
      return error('TIMEOUT', 'error_timeout', [origin]);
    case 'redirect':
      return failure.location
        ? error('REDIRECT', 'error_redirect', [origin, failure.location])
        : error('REDIRECT', 'error_redirect_unknown', [origin]);
    case 'too-large':
      return error('TOO_LARGE', 'error_too_large', [origin]);
    case 'not-zulip':
      return error('NOT_ZULIP', 'error_not_zulip', [origin, String(failure.status)]);
    case 'malformed':
      return error('MALFORMED_RESPONSE', 'error_malformed', [origin]);
    case 'server-error':
      return error('SERVER_ERROR', 'error_server_error', [origin, String(failure.status)]);
    case 'key-not-received':
      return error('KEY_NOT_RECEIVED', 'error_key_not_received', [origin]);
    case 'no-realm':
      return error('NO_REALM', 'error_no_realm', [origin]);
    case 'insecure-realm':
      return error('INSECURE_REALM', 'error_insecure_realm', [failure.realmUrl]);
    case 'zulip':
      return describeZulipError(failure, context, t, error);
  }
}

/**
 * For a check of a stored key that got no verdict. Transport failures read as for sign-in; a Zulip
 * error that is not a 401 (a 429, a 400 from a proxy that eats the Authorization header…) says
 * nothing about the key, and is described as such rather than as a refused sign-in.
 */
export function describeCheckFailure(failure: ApiFailure, context: FailureContext, t: GetMessage): ErrorInfo {
  if (failure.kind !== 'zulip') return describeFailure(failure, context, t);
  if (failure.status === 429 || failure.code === 'RATE_LIMIT_HIT') {
    return { code: 'RATE_LIMIT_HIT', message: t('error_check_rate_limited', [context.origin]) };
  }
  return { code: 'SERVER_REFUSED', message: t('error_check_refused', [context.origin, String(failure.status)]) };
}

function describeZulipError(
  failure: Extract<ApiFailure, { kind: 'zulip' }>,
  context: FailureContext,
  t: GetMessage,
  error: (code: ErrorCode, key: string, substitutions?: string[]) => ErrorInfo,
): ErrorInfo {
  if (failure.status === 429 || failure.code === 'RATE_LIMIT_HIT') {
    if (failure.retryAfterSeconds === null) return error('RATE_LIMIT_HIT', 'error_rate_limited_unknown');
    return describeRateLimit(context.now + failure.retryAfterSeconds * 1000, context, t);
  }
  if (failure.code === 'AUTHENTICATION_FAILED') {
    return error('AUTHENTICATION_FAILED', context.usernameIsEmail ? 'error_authentication_failed' : 'error_authentication_failed_username');
  }
  const known = failure.code === null ? undefined : ZULIP_CODES[failure.code];
  if (known) return error(known.code, known.key);
  // fetch_api_key validates the username as an email before anything else when LDAP is off.
  if (failure.status === 400 && failure.code === 'BAD_REQUEST') return error('USERNAME_NOT_EMAIL', 'error_username_not_email');
  if (failure.status === 405) return error('SERVER_REFUSED', 'error_method_not_allowed', [context.origin]);
  // Servers before Zulip 5.0 may answer 403 with no code at all; their msg is all there is.
  const reason = failure.msg.trim().slice(0, MAX_SERVER_MESSAGE);
  return reason
    ? error('SERVER_REFUSED', 'error_server_refused', [reason])
    : error('SERVER_REFUSED', 'error_server_refused_status', [String(failure.status)]);
}

/** A rate limit whose end is known, as the server reported it or as the background remembers it. */
export function describeRateLimit(retryAt: number, context: Pick<FailureContext, 'now' | 'locale'>, t: GetMessage): ErrorInfo {
  return { code: 'RATE_LIMIT_HIT', message: t('error_rate_limited', [formatTime(retryAt, context)]), retryAt };
}

function formatTime(epochMs: number, { now, locale }: Pick<FailureContext, 'now' | 'locale'>): string {
  // Seconds matter when the wait is short; for half an hour they are noise.
  const withSeconds = epochMs - now < 5 * 60 * 1000;
  return new Intl.DateTimeFormat(locale, {
    hour: 'numeric',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
  }).format(new Date(epochMs));
}
