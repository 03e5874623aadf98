// The Make default button: the account credentials.get answers for its organization when a page
// asks for no one in particular.
import { originOf } from '../../shared/realm-url';
import { failure, type Handler } from './handler';

export const makeDefaultAccount: Handler<'account.makeDefault'> = async (request, _sender, deps) => {
  const origin = originOf(request.realmUrl);
  if (origin === null) return failure('INVALID_REQUEST', deps.t('error_invalid_request'));
  const account = await deps.accounts.setDefault(origin, request.userId);
  return account ? { ok: true, account } : failure('NOT_FOUND', deps.t('error_not_found'));
};
