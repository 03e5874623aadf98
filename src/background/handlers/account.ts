// The one lookup behind Show API key and Download zuliprc: the stored account a request names by
// realm and user id, with its key.
import { originOf } from '../../shared/realm-url';
import { failure, storedAccountWithKey, type BackgroundDeps } from './handler';

export async function accountOfUser(request: { realmUrl: string; userId: number }, deps: BackgroundDeps) {
  const origin = originOf(request.realmUrl);
  if (origin === null) return failure('INVALID_REQUEST', deps.t('error_invalid_request'));
  return storedAccountWithKey(origin, { userId: request.userId }, deps);
}
