// The one request content scripts may make: the key for the page's own realm, of the account named
// by email or user id, or of the realm's default account.
import type { CredentialStatus } from '../../shared/reply-values';
import { storedAccountWithKey } from '../accounts/account-with-key';
import { failure } from '../failures/reply';
import type { Handler } from './handler';
import { namedOrigin } from './guards';

const INVALID_CREDENTIALS_MESSAGE: Record<Exclude<CredentialStatus, 'valid'>, string> = {
  invalid: 'error_credentials_invalid',
  'user-deactivated': 'error_user_deactivated',
  'realm-deactivated': 'error_realm_deactivated',
};

export const getCredentials: Handler<'credentials.get'> = async (request, sender, deps) => {
  const asked = request.realm === undefined ? null : namedOrigin(request.realm, deps);
  if (asked !== null && !('origin' in asked)) return asked;
  let realm: string;
  if (sender.kind === 'content-script') {
    // Decided before looking anything up, so a page learns nothing about other realms' accounts.
    if (!sender.topFrame || (asked !== null && asked.origin !== sender.origin)) return failure('FORBIDDEN', deps.t('error_forbidden'));
    realm = sender.origin;
  } else {
    if (asked === null) return failure('INVALID_REQUEST', deps.t('error_invalid_request'));
    realm = asked.origin;
  }
  const found = await storedAccountWithKey(realm, { email: request.email, userId: request.userId }, deps);
  if ('error' in found) return found;
  const { account, apiKey } = found;
  // Handing out a key the realm refuses would only make the page hammer the server with it.
  if (account.credentialStatus !== 'valid') {
    return failure('INVALID_CREDENTIALS', deps.t(INVALID_CREDENTIALS_MESSAGE[account.credentialStatus]));
  }
  return { ok: true, credentials: { realm: account.realmUrl, email: account.email, apiKey, userId: account.userId } };
};
