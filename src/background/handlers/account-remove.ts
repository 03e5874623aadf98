// Forgets one account, and its realm's content script with the last account of that host.
import { originOf } from '../../shared/realm-url';
import { syncContentScripts } from '../accounts/sync-content-scripts';
import { failure, type Handler } from './handler';

export const removeAccount: Handler<'account.remove'> = async (request, _sender, deps) => {
  const origin = originOf(request.realmUrl);
  if (origin === null) return failure('INVALID_REQUEST', deps.t('error_invalid_request'));
  const removed = await deps.accounts.remove(origin, request.userId);
  await syncContentScripts(deps);
  return { ok: true, removed };
};
