// One handler per request type, and who may send it.
import type { RequestType } from '../shared/messages';
import { checkAccount } from './handlers/account-check';
import { removeAccount } from './handlers/account-remove';
import { revealKey } from './handlers/account-reveal-key';
import { signIn, signInLock } from './handlers/account-sign-in';
import { zuliprc } from './handlers/account-zuliprc';
import { checkStaleAccounts } from './handlers/accounts-check-stale';
import { getCredentials } from './handlers/credentials-get';
import type { Handler } from './handlers/handler';
import { lookUpRealm } from './handlers/realm-lookup';
import { cancelSso } from './handlers/sso-cancel';
import { startSso } from './handlers/sso-start';
import { ssoStatus } from './handlers/sso-status';

interface Route<T extends RequestType> {
  /** Content scripts may only ask for credentials; everything else is for the extension's own pages. */
  contentScriptsAllowed: boolean;
  handle: Handler<T>;
}

export const routes: { [T in RequestType]: Route<T> } = {
  'credentials.get': { contentScriptsAllowed: true, handle: getCredentials },
  'accounts.list': { contentScriptsAllowed: false, handle: async (_request, _sender, deps) => ({ ok: true, accounts: await deps.accounts.list() }) },
  'realm.lookup': { contentScriptsAllowed: false, handle: lookUpRealm },
  'account.signIn': { contentScriptsAllowed: false, handle: signIn },
  'account.remove': { contentScriptsAllowed: false, handle: removeAccount },
  'account.check': { contentScriptsAllowed: false, handle: checkAccount },
  'accounts.checkStale': { contentScriptsAllowed: false, handle: checkStaleAccounts },
  'account.signInLock': { contentScriptsAllowed: false, handle: signInLock },
  'sso.start': { contentScriptsAllowed: false, handle: startSso },
  'sso.status': { contentScriptsAllowed: false, handle: ssoStatus },
  'sso.cancel': { contentScriptsAllowed: false, handle: cancelSso },
  'account.revealKey': { contentScriptsAllowed: false, handle: revealKey },
  'account.zuliprc': { contentScriptsAllowed: false, handle: zuliprc },
};
