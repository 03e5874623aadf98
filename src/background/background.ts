// The background entry: wires the browser's APIs to the plain modules beside it. Listeners are
// registered synchronously at the top level so that a message wakes a stopped worker.
import './zod-jitless';
import browser, { type Runtime } from 'webextension-polyfill';
import { syncContentScripts } from './accounts/sync-content-scripts';
import { createBackgroundDeps } from './deps';
import { IDLE_LOCK_ALARM } from './keys/passphrase-lock';
import { logFailure } from './log-failure';
import { createMessageRouter } from './messaging/message-router';
import { createPopupReturner, popupPageOpenIn, windowFocusedWithin } from './popup-return/popup-return';
// Here, after the background's own modules: where it stands decides the name the bundler gives the chunk
// the popup shares (popup-draft-….js, not host-patterns-….js), whose length counts in the popup's size budget.
import { createDraftStore } from '../shared/popup-draft';
import { SSO_DEADLINE_ALARM } from './sso/flow-tabs';
import { createRedirectProbe } from './sso/redirect-probe';
import { captureMobileFlowRedirects } from './sso/sso-capture';

// The manifest's action.default_popup.
const POPUP_PATH = 'src/popup/popup.html';

const deps = createBackgroundDeps({
  local: browser.storage.local,
  localChanged: browser.storage.local.onChanged,
  session: browser.storage.session,
  alarms: browser.alarms,
  scripting: browser.scripting,
  tabs: browser.tabs,
  permissions: browser.permissions,
  i18n: browser.i18n,
  now: Date.now,
  firstRedirect: createRedirectProbe(browser.webRequest.onHeadersReceived),
});
const { accounts, lock, ssoFlows } = deps;

const route = createMessageRouter(deps, { id: browser.runtime.id, baseUrl: browser.runtime.getURL('') });

// Answered through sendResponse rather than by returning the promise: Firefox hands a reply given
// that way to the sender markedly sooner (bench, credentials.get round trip: 1.1 ms against 1.5 ms).
// The router never rejects, so every message gets its reply.
browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender, sendResponse: (reply: unknown) => void) => {
  void route(message, sender).then((reply) => {
    sendResponse(reply);
    // Once the reply is on its way (see restoreContentScripts below).
    setTimeout(restoreContentScripts);
  });
  return true;
});

const logFlowError = (error: unknown) => logFailure('single sign-on step failed', error);
captureMobileFlowRedirects(browser.webRequest, browser.permissions, (tabId, location) => {
  ssoFlows.redirectSeen(tabId, location).catch(logFlowError);
});
// Chromium closes the popup for a permission prompt; the grant brings it back (popup-return.ts).
const popupReturn = createPopupReturner({
  drafts: createDraftStore(browser.storage.session),
  popupPageOpen: () => popupPageOpenIn(browser.runtime, POPUP_PATH),
  openPopup: () => browser.action.openPopup(),
  windowFocused: (ms) => windowFocusedWithin(browser.windows, ms),
});
browser.permissions.onAdded.addListener(({ origins = [] }) => {
  popupReturn.granted(origins).catch((error: unknown) => logFailure('popup not brought back', error));
});
browser.permissions.onRemoved.addListener(({ origins = [] }) => popupReturn.removed(origins));
browser.tabs.onRemoved.addListener((tabId) => {
  ssoFlows.tabClosed(tabId).catch(logFlowError);
});
browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === SSO_DEADLINE_ALARM) ssoFlows.checkDeadline().catch(logFlowError);
  if (alarm.name === IDLE_LOCK_ALARM) lock.idleAlarm().catch(logLockError);
});

const logLockError = (error: unknown) => logFailure('passphrase lock step failed', error);
// A background stopped while the lock was being turned on or off finishes the move (passphrase-lock.ts).
lock.resume().catch(logLockError);
// Meanwhile the message that woke the background is on its way; a failure is met again by the first request.
accounts.prepare().catch((error: unknown) => logFailure('stored accounts not checked', error));

// Registered scripts can be lost on update or by a browser's own cleanup, and a background stopped
// between storing an account and registering its script leaves the account without one: restore
// them from the accounts whenever the background starts. Restoring reads every account, so it waits
// until the message that woke the background (if one did) has been answered.
let restoring: Promise<void> | null = null;
function restoreContentScripts(): void {
  restoring ??= syncContentScripts(deps).catch((error: unknown) => logFailure('content scripts not restored', error));
}
/** Woken by something other than a message (install, browser start, an alarm): restored this soon anyway. */
const RESTORE_WITHOUT_MESSAGE_MS = 200;
setTimeout(restoreContentScripts, RESTORE_WITHOUT_MESSAGE_MS);
// Listening to these events makes sure the browser starts the background at install, update and
// browser startup (an event page or worker is otherwise started only by an event); the restore
// above does the work.
browser.runtime.onInstalled.addListener(() => {});
browser.runtime.onStartup.addListener(() => {});
