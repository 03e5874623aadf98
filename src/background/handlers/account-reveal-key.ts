// Show API key: the key itself, for the popup's read-only field and Copy API key.
import { accountOfUser } from './account-of-user';
import type { Handler } from './handler';

export const revealKey: Handler<'account.revealKey'> = async (request, _sender, deps) => {
  const found = await accountOfUser(request, deps);
  if ('error' in found) return found;
  return { ok: true, apiKey: found.apiKey };
};
