// The extension's one message protocol: a zod schema per request, and the reply each gets. Senders
// use message-client.ts; the background validates with parseRequest (parse-request.ts). What the
// replies carry is in reply-values.ts, the error codes in error-info.ts.
import * as z from 'zod/mini';
import type { ErrorInfo } from './error-info';
import type { AccountSummary, Credentials, LockStatus, SignInOutcome, SsoFlowSummary, SsoOutcome } from './reply-values';
import type { RealmInfo } from './zulip/realm-info';

const url = z.string().check(z.minLength(1), z.maxLength(2048));
const username = z.string().check(z.minLength(1), z.maxLength(512));
/** The passphrase lock (popup settings). Minutes may be fractional: the popup offers whole ones, tests use seconds. */
const passphrase = z.string().check(z.minLength(1), z.maxLength(1024));
const newPassphrase = z.string().check(z.minLength(8), z.maxLength(1024));
const idleMinutes = z.number().check(z.gt(0), z.lte(24 * 60));

/**
 * Each request's schema, by its type, built the first time a request of that type arrives: a
 * background woken by a content script builds the one schema it needs before it answers, not all
 * of them. Building them is most of the cost of loading this module.
 */
export const requestSchemas = {
  /** Without `email` or `userId` (at most one of them): the organization's default account. */
  'credentials.get': () =>
    z
      .strictObject({
        type: z.literal('credentials.get'),
        realm: z.optional(url),
        email: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
        userId: z.optional(z.int()),
      })
      .check(z.refine((request) => request.email === undefined || request.userId === undefined, 'email or userId, not both')),
  'accounts.list': () => z.strictObject({ type: z.literal('accounts.list') }),
  'realm.lookup': () => z.strictObject({ type: z.literal('realm.lookup'), serverUrl: url }),
  'account.signIn': () =>
    z.strictObject({
      type: z.literal('account.signIn'),
      realmUrl: url,
      username,
      password: z.string().check(z.minLength(1), z.maxLength(4096)),
    }),
  'account.remove': () => z.strictObject({ type: z.literal('account.remove'), realmUrl: url, userId: z.int() }),
  /** Asks the realm whether the account's key still works (the Check button). */
  'account.check': () => z.strictObject({ type: z.literal('account.check'), realmUrl: url, userId: z.int() }),
  /** Makes an account the one credentials.get answers for its organization when asked for no one in particular. */
  'account.makeDefault': () => z.strictObject({ type: z.literal('account.makeDefault'), realmUrl: url, userId: z.int() }),
  /** Checks every account not checked in the last hour (sent when the popup opens). */
  'accounts.checkStale': () => z.strictObject({ type: z.literal('accounts.checkStale') }),
  /** The username exactly as account.signIn would send it: Zulip's rate limit counts per username. */
  'account.signInLock': () => z.strictObject({ type: z.literal('account.signInLock'), realmUrl: url, username }),
  /**
   * How the last account.signIn, account.addWithKey or account.devSignIn ended, if no popup has shown
   * it yet: the popup that sent it may have been closed meanwhile. Waits for one still under way.
   */
  'account.signInOutcome': () => z.strictObject({ type: z.literal('account.signInOutcome') }),
  /** Starts single sign-on with one of the realm's external_authentication_methods, by its name. */
  'sso.start': () =>
    z.strictObject({
      type: z.literal('sso.start'),
      realmUrl: url,
      method: z.string().check(z.minLength(1), z.maxLength(256)),
    }),
  /** The flow under way, and how the last one ended if no popup has shown it yet. */
  'sso.status': () => z.strictObject({ type: z.literal('sso.status') }),
  'sso.cancel': () => z.strictObject({ type: z.literal('sso.cancel') }),
  /** A key pasted by hand (Personal settings › Account & privacy): checked with users/me before it is stored. */
  'account.addWithKey': () =>
    z.strictObject({
      type: z.literal('account.addWithKey'),
      realmUrl: url,
      email: username,
      // Not checked for Zulip's key format here: the handler answers a malformed key with its own message.
      apiKey: z.string().check(z.minLength(1), z.maxLength(4096)),
    }),
  /** The users a development server offers for signing in without a password. */
  'realm.devUsers': () => z.strictObject({ type: z.literal('realm.devUsers'), realmUrl: url }),
  'account.devSignIn': () => z.strictObject({ type: z.literal('account.devSignIn'), realmUrl: url, email: username }),
  'lock.status': () => z.strictObject({ type: z.literal('lock.status') }),
  'lock.enable': () => z.strictObject({ type: z.literal('lock.enable'), passphrase: newPassphrase, idleMinutes }),
  'lock.unlock': () => z.strictObject({ type: z.literal('lock.unlock'), passphrase }),
  'lock.lockNow': () => z.strictObject({ type: z.literal('lock.lockNow') }),
  'lock.change': () => z.strictObject({ type: z.literal('lock.change'), current: passphrase, next: newPassphrase }),
  'lock.disable': () => z.strictObject({ type: z.literal('lock.disable'), passphrase }),
  'lock.setIdle': () => z.strictObject({ type: z.literal('lock.setIdle'), idleMinutes }),
  /** The account's API key, for Show API key (extension pages only). */
  'account.revealKey': () => z.strictObject({ type: z.literal('account.revealKey'), realmUrl: url, userId: z.int() }),
  /** The account's zuliprc file, for Download zuliprc (extension pages only). */
  'account.zuliprc': () => z.strictObject({ type: z.literal('account.zuliprc'), realmUrl: url, userId: z.int() }),
  /** What the popup shows as it opens, in one round trip: the lock, and unless locked, the accounts and the single sign-on news. */
  'popup.open': () => z.strictObject({ type: z.literal('popup.open') }),
};
type RequestSchemas = typeof requestSchemas;
export type Request = { [T in keyof RequestSchemas]: z.infer<ReturnType<RequestSchemas[T]>> }[keyof RequestSchemas];
export type RequestType = Request['type'];
export type RequestOf<T extends RequestType> = Extract<Request, { type: T }>;

export interface ReplyMap {
  'credentials.get': { credentials: Credentials };
  'accounts.list': { accounts: AccountSummary[] };
  'realm.lookup': { realm: RealmInfo };
  'account.signIn': { account: AccountSummary; replaced: AccountSummary | null };
  'account.remove': { removed: boolean };
  'account.check': { account: AccountSummary };
  'account.makeDefault': { account: AccountSummary };
  /** `checked`: each account as its check left it; `failures`: checks that got no verdict (nothing was marked). */
  'accounts.checkStale': { checked: AccountSummary[]; failures: Array<{ realmUrl: string; userId: number; error: ErrorInfo }> };
  /** A RATE_LIMIT_HIT with its retryAt while the realm refuses sign-ins, else null. */
  'account.signInLock': { lock: ErrorInfo | null };
  'account.signInOutcome': { outcome: SignInOutcome | null };
  'sso.start': { flow: SsoFlowSummary };
  'sso.status': { flow: SsoFlowSummary | null; outcome: SsoOutcome | null };
  'sso.cancel': { cancelled: boolean };
  'account.addWithKey': { account: AccountSummary; replaced: AccountSummary | null };
  /** Emails of the realm's users, owners and administrators apart. */
  'realm.devUsers': { admins: string[]; users: string[] };
  'account.devSignIn': { account: AccountSummary; replaced: AccountSummary | null };
  'lock.status': { lock: LockStatus };
  'lock.enable': { lock: LockStatus };
  'lock.unlock': { lock: LockStatus };
  'lock.lockNow': { lock: LockStatus };
  'lock.change': { lock: LockStatus };
  'lock.disable': { lock: LockStatus };
  'lock.setIdle': { lock: LockStatus };
  'account.revealKey': { apiKey: string };
  /** `text`: the [api] section with email, key and site, as Zulip's clients read it. */
  'account.zuliprc': { filename: string; text: string };
  /** `unlocked`: null while locked (the popup shows only the unlock form, and asks again after it). */
  'popup.open': { lock: LockStatus; unlocked: { accounts: AccountSummary[]; sso: ReplyMap['sso.status'] } | null };
}

export type Reply<T extends RequestType> = ({ ok: true } & ReplyMap[T]) | { ok: false; error: ErrorInfo };
