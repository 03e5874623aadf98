// The popup's requests about one stored account, named by realm and user id.
import { storedAccountWithKey } from '../accounts/account-with-key';
import { checkStoredAccount } from '../accounts/credential-check';
import { syncContentScripts } from '../accounts/sync-content-scripts';
import { ZULIPRC_FILENAME, zuliprcText } from '../accounts/zuliprc';
import type { BackgroundDeps } from '../deps';
import { failure } from '../failures/reply';
import type { Handler } from './handler';
import { namedOrigin } from './guards';

/** Forgets one account, and its realm's content script with the last account of that host. */
export const removeAccount: Handler<'account.remove'> = async (request, _sender, deps) => {
  const named = namedOrigin(request.realmUrl, deps);
  if (!('origin' in named)) return named;
  const removed = await deps.accounts.remove(named.origin, request.userId);
  await syncContentScripts(deps);
  return { ok: true, removed };
};

/** The Check button: asks the realm about one account's key now, however recently it was checked. */
export const checkAccount: Handler<'account.check'> = async (request, _sender, deps) => {
  const named = namedOrigin(request.realmUrl, deps);
  if (!('origin' in named)) return named;
  return checkStoredAccount(named.origin, request.userId, deps);
};

/**
 * The Make default button: the account credentials.get answers for its organization when a page
 * asks for no one in particular.
 */
export const makeDefaultAccount: Handler<'account.makeDefault'> = async (request, _sender, deps) => {
  const named = namedOrigin(request.realmUrl, deps);
  if (!('origin' in named)) return named;
  const account = await deps.accounts.setDefault(named.origin, request.userId);
  return account ? { ok: true, account } : failure('NOT_FOUND', deps.t('error_not_found'));
};

/** The one lookup behind Show API key and Download zuliprc: the account with its key. */
async function accountOfUser(request: { realmUrl: string; userId: number }, deps: BackgroundDeps) {
  const named = namedOrigin(request.realmUrl, deps);
  if (!('origin' in named)) return named;
  return storedAccountWithKey(named.origin, { userId: request.userId }, deps);
}

/** Show API key: the key itself, for the popup's read-only field and Copy API key. */
export const revealKey: Handler<'account.revealKey'> = async (request, _sender, deps) => {
  const found = await accountOfUser(request, deps);
  if ('error' in found) return found;
  return { ok: true, apiKey: found.apiKey };
};

/** Download zuliprc: the file's name and text, for the extension page that saves it. */
export const zuliprc: Handler<'account.zuliprc'> = async (request, _sender, deps) => {
  const found = await accountOfUser(request, deps);
  if ('error' in found) return found;
  const { account, apiKey } = found;
  return { ok: true, filename: ZULIPRC_FILENAME, text: zuliprcText({ email: account.email, apiKey, site: account.realmUrl }) };
};
