// The Check button: asks the realm about one account's key now, however recently it was checked.
import { originOf } from '../../shared/realm-url';
import { checkStoredAccount } from '../accounts/credential-check';
import { failure, type Handler } from './handler';

export const checkAccount: Handler<'account.check'> = async (request, _sender, deps) => {
  const origin = originOf(request.realmUrl);
  if (origin === null) return failure('INVALID_REQUEST', deps.t('error_invalid_request'));
  return checkStoredAccount(origin, request.userId, deps);
};
