// The one lookup behind Show API key and Download zuliprc: the stored account a request names by
// realm and user id, with its key.
import { originOf } from '../../shared/realm-url';
import { failure, storedAccountWithKey, type BackgroundDeps } from './handler';

export async function accountOfUser(request: { realmUrl: string; userId: number }, deps: BackgroundDeps) {
  const origin = originOf(request.realmUrl);
  if (origin === null) return failure('INVALID_REQUEST', deps.t('error_invalid_request'));
  const found = await storedAccountWithKey(origin, deps);
  if ('error' in found) return found;
  // The store keeps one account per realm: another user's id names an account it does not have.
  if (found.account.userId !== request.userId) return failure('NOT_FOUND', deps.t('error_not_found'));
  return found;
}
