// One handler per request type, and who may send it.
import type { RequestType } from '../../shared/messages';
import { addAccountWithKey } from '../handlers/account-add-with-key';
import { checkAccount } from '../handlers/account-check';
import { devSignIn } from '../handlers/account-dev-sign-in';
import { makeDefaultAccount } from '../handlers/account-make-default';
import { removeAccount } from '../handlers/account-remove';
import { revealKey } from '../handlers/account-reveal-key';
import { signIn, signInLock, signInOutcome } from '../handlers/account-sign-in';
import { zuliprc } from '../handlers/account-zuliprc';
import { checkStaleAccounts } from '../handlers/accounts-check-stale';
import { getCredentials } from '../handlers/credentials-get';
import type { Handler } from '../handlers/handler';
import { listDevUsers } from '../handlers/realm-dev-users';
import { lookUpRealm } from '../handlers/realm-lookup';
import { changePassphrase } from '../handlers/lock-change';
import { disableLock } from '../handlers/lock-disable';
import { enableLock } from '../handlers/lock-enable';
import { lockNow } from '../handlers/lock-lock-now';
import { setLockIdle } from '../handlers/lock-set-idle';
import { lockStatus } from '../handlers/lock-status';
import { unlock } from '../handlers/lock-unlock';
import { cancelSso } from '../handlers/sso-cancel';
import { popupOpen } from '../handlers/popup-open';
import { startSso } from '../handlers/sso-start';
import { ssoStatus } from '../handlers/sso-status';
import { keepingOutcome } from '../accounts/sign-in-outcomes';

interface Route<T extends RequestType> {
  /** Content scripts may only ask for credentials; everything else is for the extension's own pages. */
  contentScriptsAllowed: boolean;
  handle: Handler<T>;
}

export const routes: { [T in RequestType]: Route<T> } = {
  'credentials.get': { contentScriptsAllowed: true, handle: getCredentials },
  'accounts.list': { contentScriptsAllowed: false, handle: async (_request, _sender, deps) => ({ ok: true, accounts: await deps.accounts.list() }) },
  'realm.lookup': { contentScriptsAllowed: false, handle: lookUpRealm },
  // Ways in: how each ended is kept for a popup closed while it ran (sign-in-outcomes.ts).
  'account.signIn': { contentScriptsAllowed: false, handle: keepingOutcome(signIn) },
  'account.remove': { contentScriptsAllowed: false, handle: removeAccount },
  'account.check': { contentScriptsAllowed: false, handle: checkAccount },
  'account.makeDefault': { contentScriptsAllowed: false, handle: makeDefaultAccount },
  'accounts.checkStale': { contentScriptsAllowed: false, handle: checkStaleAccounts },
  'account.signInLock': { contentScriptsAllowed: false, handle: signInLock },
  'account.signInOutcome': { contentScriptsAllowed: false, handle: signInOutcome },
  'sso.start': { contentScriptsAllowed: false, handle: startSso },
  'sso.status': { contentScriptsAllowed: false, handle: ssoStatus },
  'sso.cancel': { contentScriptsAllowed: false, handle: cancelSso },
  'account.addWithKey': { contentScriptsAllowed: false, handle: keepingOutcome(addAccountWithKey) },
  'realm.devUsers': { contentScriptsAllowed: false, handle: listDevUsers },
  'account.devSignIn': { contentScriptsAllowed: false, handle: keepingOutcome(devSignIn) },
  'lock.status': { contentScriptsAllowed: false, handle: lockStatus },
  'lock.enable': { contentScriptsAllowed: false, handle: enableLock },
  'lock.unlock': { contentScriptsAllowed: false, handle: unlock },
  'lock.lockNow': { contentScriptsAllowed: false, handle: lockNow },
  'lock.change': { contentScriptsAllowed: false, handle: changePassphrase },
  'lock.disable': { contentScriptsAllowed: false, handle: disableLock },
  'lock.setIdle': { contentScriptsAllowed: false, handle: setLockIdle },
  'account.revealKey': { contentScriptsAllowed: false, handle: revealKey },
  'account.zuliprc': { contentScriptsAllowed: false, handle: zuliprc },
  'popup.open': { contentScriptsAllowed: false, handle: popupOpen },
};
