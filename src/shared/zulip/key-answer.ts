// Reading users/me's answer about a key: which refusal a 401 is, and the one 401 that is no answer.
import type { RawResponse } from './http';
import { errorBody } from './response-body';

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
export function keyRefusal(raw: RawResponse): Exclude<KeyAnswer['kind'], 'valid'> {
  const error = errorBody(raw);
  if (error === null) return 'invalid';
  const { code, msg } = error;
  if (code === 'USER_DEACTIVATED' || USER_DEACTIVATED_MSGS.includes(msg)) return 'user-deactivated';
  if (code === 'REALM_DEACTIVATED' || REALM_DEACTIVATED_MSGS.includes(msg)) return 'realm-deactivated';
  if (msg === 'Malformed API key') return 'malformed';
  if (msg === 'Account is not associated with this subdomain') return 'other-realm';
  return 'invalid';
}

/** The 401 of a request that reached Zulip without its key: no answer about the key. */
export function keyNotReceived(raw: RawResponse): boolean {
  return raw.status === 401 && errorBody(raw)?.msg === NOT_LOGGED_IN_MSG;
}
