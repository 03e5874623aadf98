// Download zuliprc: the file's name and text, for the extension page that saves it.
import { ZULIPRC_FILENAME, zuliprcText } from '../accounts/zuliprc';
import { accountOfUser } from './account-of-user';
import type { Handler } from './handler';

export const zuliprc: Handler<'account.zuliprc'> = async (request, _sender, deps) => {
  const found = await accountOfUser(request, deps);
  if ('error' in found) return found;
  const { account, apiKey } = found;
  return { ok: true, filename: ZULIPRC_FILENAME, text: zuliprcText({ email: account.email, apiKey, site: account.realmUrl }) };
};
