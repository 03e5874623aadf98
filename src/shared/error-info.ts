// How a request fails: the protocol's error codes, and the error a reply carries instead of its value.
export type ErrorCode =
  // The content-script contract.
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'INVALID_REQUEST'
  | 'INTERNAL'
  /** The account's key was refused by its realm at the last check: sign in again from the popup. */
  | 'INVALID_CREDENTIALS'
  | 'RATE_LIMITED'
  // Reaching the server.
  | 'INVALID_URL'
  | 'PERMISSION_MISSING'
  | 'NETWORK'
  | 'TIMEOUT'
  | 'REDIRECT'
  | 'TOO_LARGE'
  | 'NOT_ZULIP'
  | 'MALFORMED_RESPONSE'
  | 'SERVER_ERROR'
  /** users/me answered as if no key was sent: something on the way removes the Authorization header. */
  | 'KEY_NOT_RECEIVED'
  | 'NO_REALM'
  | 'INSECURE_REALM'
  // Single sign-on.
  | 'SSO_METHOD_UNKNOWN'
  | 'SSO_TAB_CLOSED'
  | 'SSO_TIMED_OUT'
  | 'SSO_BAD_REDIRECT'
  // A pasted API key, and development servers.
  | 'API_KEY_MALFORMED'
  | 'API_KEY_INVALID'
  | 'DEV_AUTH_UNAVAILABLE'
  // The passphrase lock.
  /** The keys are locked: unlock from the popup with the passphrase. */
  | 'LOCKED'
  | 'WRONG_PASSPHRASE'
  /** Too many wrong passphrases: retryAt says when the next attempt is allowed. */
  | 'PASSPHRASE_THROTTLED'
  /** Turning the lock on when it is on, or off (or unlocking, changing) when it is off. */
  | 'LOCK_STATE'
  // What Zulip said (docs/zulip-api.md §2).
  | 'AUTHENTICATION_FAILED'
  | 'USER_DEACTIVATED'
  | 'REALM_DEACTIVATED'
  | 'PASSWORD_AUTH_DISABLED'
  | 'PASSWORD_RESET_REQUIRED'
  | 'NONEXISTENT_SUBDOMAIN'
  | 'USERNAME_NOT_EMAIL'
  | 'RATE_LIMIT_HIT'
  | 'SERVER_REFUSED';

export interface ErrorInfo {
  code: ErrorCode;
  /** A sentence for a person, in the browser's language. */
  message: string;
  /** For RATE_LIMIT_HIT: when (epoch ms) the server accepts the next attempt; for RATE_LIMITED and PASSPHRASE_THROTTLED, the background. */
  retryAt?: number;
}
