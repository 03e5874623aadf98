// One handler per request type, who may send it, and which of its fields are secrets.
import type { RequestOf, RequestType } from '../../shared/messages';
import { keepingOutcome } from '../accounts/sign-in-outcomes';
import { checkAccount, makeDefaultAccount, removeAccount, revealKey, zuliprc } from '../handlers/account';
import { checkStaleAccounts, listAccounts } from '../handlers/accounts';
import { getCredentials } from '../handlers/credentials';
import type { Handler } from '../handlers/handler';
import { changePassphrase, disableLock, enableLock, lockNow, lockStatus, setLockIdle, unlock } from '../handlers/lock';
import { popupOpen } from '../handlers/popup';
import { listDevUsers, lookUpRealm } from '../handlers/realm';
import { addAccountWithKey, devSignIn, signIn, signInLock, signInOutcome } from '../handlers/sign-in';
import { cancelSso, ssoStatus, startSso } from '../handlers/sso';

/** A request's text fields besides its type: the ones a route can name as secrets. */
type TextField<T extends RequestType> = Exclude<{ [K in keyof RequestOf<T>]-?: RequestOf<T>[K] extends string | undefined ? K : never }[keyof RequestOf<T>], 'type'>;

export interface Route<T extends RequestType> {
  /** Content scripts may only ask for credentials; everything else is for the extension's own pages. */
  contentScriptsAllowed: boolean;
  handle: Handler<T>;
  /** Passwords, pasted keys and passphrases: the router blanks them once the request is answered. */
  secrets?: ReadonlyArray<TextField<T>>;
}

export const routes: { [T in RequestType]: Route<T> } = {
  'credentials.get': { contentScriptsAllowed: true, handle: getCredentials },
  'accounts.list': { contentScriptsAllowed: false, handle: listAccounts },
  'realm.lookup': { contentScriptsAllowed: false, handle: lookUpRealm },
  // Ways in: how each ended is kept for a popup closed while it ran (sign-in-outcomes.ts).
  'account.signIn': { contentScriptsAllowed: false, handle: keepingOutcome(signIn), secrets: ['password'] },
  'account.remove': { contentScriptsAllowed: false, handle: removeAccount },
  'account.check': { contentScriptsAllowed: false, handle: checkAccount },
  'account.makeDefault': { contentScriptsAllowed: false, handle: makeDefaultAccount },
  'accounts.checkStale': { contentScriptsAllowed: false, handle: checkStaleAccounts },
  'account.signInLock': { contentScriptsAllowed: false, handle: signInLock },
  'account.signInOutcome': { contentScriptsAllowed: false, handle: signInOutcome },
  'sso.start': { contentScriptsAllowed: false, handle: startSso },
  'sso.status': { contentScriptsAllowed: false, handle: ssoStatus },
  'sso.cancel': { contentScriptsAllowed: false, handle: cancelSso },
  'account.addWithKey': { contentScriptsAllowed: false, handle: keepingOutcome(addAccountWithKey), secrets: ['apiKey'] },
  'realm.devUsers': { contentScriptsAllowed: false, handle: listDevUsers },
  'account.devSignIn': { contentScriptsAllowed: false, handle: keepingOutcome(devSignIn) },
  'lock.status': { contentScriptsAllowed: false, handle: lockStatus },
  'lock.enable': { contentScriptsAllowed: false, handle: enableLock, secrets: ['passphrase'] },
  'lock.unlock': { contentScriptsAllowed: false, handle: unlock, secrets: ['passphrase'] },
  'lock.lockNow': { contentScriptsAllowed: false, handle: lockNow },
  'lock.change': { contentScriptsAllowed: false, handle: changePassphrase, secrets: ['current', 'next'] },
  'lock.disable': { contentScriptsAllowed: false, handle: disableLock, secrets: ['passphrase'] },
  'lock.setIdle': { contentScriptsAllowed: false, handle: setLockIdle },
  'account.revealKey': { contentScriptsAllowed: false, handle: revealKey },
  'account.zuliprc': { contentScriptsAllowed: false, handle: zuliprc },
  'popup.open': { contentScriptsAllowed: false, handle: popupOpen },
};
