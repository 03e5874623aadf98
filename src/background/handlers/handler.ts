// What every request handler is given and the replies they share. A handler receives a request
// the router has already validated and a sender it has already classified; throwing is left to
// the router to catch.
import type { Reply, RequestOf, RequestType } from '../../shared/messages';
import type { ErrorCode } from '../../shared/error-info';
import { parseRealmUrl, REALM_URL_PROBLEM_MESSAGE } from '../../shared/realm-url';
import { ApiError } from '../../shared/zulip/api-error';
import type { ZulipClient } from '../../shared/zulip/api-client';
import type { RealmInfo } from '../../shared/zulip/realm-info';
import type { AccountStore } from '../accounts/account-store';
import type { AccountSelector } from '../accounts/realm-accounts';
import type { ContentScriptRegistry } from '../accounts/content-script-registry';
import { describeFailure, type GetMessage } from '../failures/describe-failure';
import type { SenderKind } from '../messaging/sender';
import { LockedError, type PassphraseLock } from '../keys/passphrase-lock';
import type { SignInBackoff } from '../accounts/sign-in-backoff';
import type { SignInOutcomes } from '../accounts/sign-in-outcomes';
import type { FirstRedirect } from '../sso/completion-origin';
import type { SsoFlows } from '../sso/sso-flow';

export interface BackgroundDeps {
  accounts: AccountStore;
  zulip: ZulipClient;
  contentScripts: ContentScriptRegistry;
  hasHostPermission(origin: string): Promise<boolean>;
  t: GetMessage;
  locale: string;
  now(): number;
  signInBackoff: SignInBackoff;
  ssoFlows: SsoFlows;
  /** How the last sign-in ended, for a popup closed while it ran. */
  signInOutcomes: SignInOutcomes;
  /** Where a URL redirects to, without following it (redirect-probe.ts). */
  firstRedirect: FirstRedirect;
  lock: PassphraseLock;
}

export type Handler<T extends RequestType> = (request: RequestOf<T>, sender: SenderKind, deps: BackgroundDeps) => Promise<Reply<T>>;

export type Failure = { ok: false; error: { code: ErrorCode; message: string } };

export function failure(code: ErrorCode, message: string): Failure {
  return { ok: false, error: { code, message } };
}

/** A stored account of a realm (its default unless `selector` names one) with its key, or the reply that says why there is none. */
export async function storedAccountWithKey(
  realmUrl: string,
  selector: AccountSelector | undefined,
  deps: BackgroundDeps,
): Promise<NonNullable<Awaited<ReturnType<AccountStore['getWithKey']>>> | Failure> {
  let found: Awaited<ReturnType<AccountStore['getWithKey']>>;
  try {
    found = await deps.accounts.getWithKey(realmUrl, selector);
  } catch (error) {
    if (error instanceof LockedError) return failure('LOCKED', deps.t('error_locked'));
    return failure('INTERNAL', deps.t('error_key_unreadable'));
  }
  return found ?? failure('NOT_FOUND', deps.t('error_not_found'));
}

/**
 * LOCKED while the passphrase lock is closed. Ways in ask before they reach the server: a key
 * issued then could not be sealed, and a password would be sent for nothing.
 */
export async function lockedFailure(deps: BackgroundDeps): Promise<Failure | null> {
  return (await deps.lock.isLocked()) ? failure('LOCKED', deps.t('error_locked')) : null;
}

/** Parses a URL the way the popup did and checks the host permission the popup should have obtained. */
export async function reachableOrigin(url: string, deps: BackgroundDeps): Promise<{ origin: string } | Failure> {
  const parsed = parseRealmUrl(url);
  if (!parsed.ok) return failure('INVALID_URL', deps.t(REALM_URL_PROBLEM_MESSAGE[parsed.problem]));
  if (!(await deps.hasHostPermission(parsed.origin))) {
    return failure('PERMISSION_MISSING', deps.t('error_permission_missing', [parsed.origin]));
  }
  return { origin: parsed.origin };
}

/**
 * The organization at a URL as its server_settings describe it, from a host the popup obtained.
 * `canonicalHeld`: a realm naming another host as its own must have that host held too, for
 * requests that go there next.
 */
export async function reachableRealm(url: string, deps: BackgroundDeps, canonicalHeld: boolean): Promise<{ origin: string; realm: RealmInfo } | Failure> {
  const target = await reachableOrigin(url, deps);
  if (!('origin' in target)) return target;
  let realm: RealmInfo;
  try {
    realm = await deps.zulip.getServerSettings(target.origin);
  } catch (error) {
    return apiFailure(error, target.origin, true, deps);
  }
  if (canonicalHeld && realm.realmUrl !== target.origin) {
    const canonical = await reachableOrigin(realm.realmUrl, deps);
    if (!('origin' in canonical)) return canonical;
  }
  return { origin: target.origin, realm };
}

/** The reply for a failed Zulip call; anything that is not an ApiError is a bug and goes to the router. */
export function apiFailure(error: unknown, origin: string, usernameIsEmail: boolean, deps: Pick<BackgroundDeps, 't' | 'now' | 'locale'>) {
  if (!(error instanceof ApiError)) throw error;
  return { ok: false as const, error: describeFailure(error.failure, { origin, usernameIsEmail, now: deps.now(), locale: deps.locale }, deps.t) };
}
