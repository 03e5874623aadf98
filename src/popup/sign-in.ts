// Adding an account's second step, signing in at the realm found, free of UI like add-account.ts.
// Apart from it because only the sign-in views (loaded on demand) need it.
import type { AccountSummary } from '../shared/reply-values';
import { originOf, originPermissionPattern } from '../shared/realm-url';
import type { RealmInfo } from '../shared/zulip/realm-info';
import { hostToAsk, type FlowDeps } from './add-account';
import type { HostPermissions } from './host-permission';
import type { MessageKey } from '../shared/i18n';

/**
 * From a click or submit handler, before anything else is awaited: the server may name another
 * host than the one typed as its canonical URL, and keys are fetched and checked there. Null when
 * it is held, else why not.
 */
export async function ensureRealmHost(
  realm: RealmInfo,
  typedOrigin: string,
  deps: Pick<FlowDeps, 'hostPermissions' | 't'>,
  beforePrompt?: (origin: string) => void,
): Promise<string | null> {
  const realmOrigin = originOf(realm.realmUrl);
  if (realmOrigin === null) return deps.t('error_internal');
  if (realmOrigin === typedOrigin) return null;
  const permission = await deps.hostPermissions.ensure(originPermissionPattern(realmOrigin), () => beforePrompt?.(realmOrigin));
  return permission === 'granted' ? null : deps.t('error_permission_denied', realmOrigin);
}

/** The host every way in (ensureRealmHost) will ask for first, while it is not held: said before the click. */
export function realmHostAsksFor(realm: RealmInfo, typedOrigin: string, permissions: Pick<HostPermissions, 'isGranted'>): string | null {
  const realmOrigin = originOf(realm.realmUrl);
  return realmOrigin === null || realmOrigin === typedOrigin ? null : hostToAsk(realmOrigin, permissions);
}

export interface SignInInput {
  realm: RealmInfo;
  /** The origin the person typed, whose permission is already held. */
  origin: string;
  username: string;
  password: string;
}

export type SignInOutcome =
  | { ok: true; account: AccountSummary; replaced: AccountSummary | null }
  | {
      ok: false;
      message: string;
      /** Where the person most likely has to act next. */
      field: 'username' | 'password' | null;
      /** The field is empty: it, not the server, is the problem. */
      missing?: true;
      retryAt?: number;
    };

export function missingFieldMessageKey(input: Pick<SignInInput, 'realm' | 'username' | 'password'>): MessageKey | null {
  if (input.username.trim() === '') {
    return input.realm.usernameIsEmail ? 'popup_error_email_empty' : 'popup_error_username_empty';
  }
  return input.password === '' ? 'popup_error_password_empty' : null;
}

/** The username as signIn sends it; Zulip's rate limit counts it exactly so, and so does the lock. */
export const usernameAsSent = (typed: string) => typed.trim();

/**
 * The realm's sign-in rate limit on this username as the background remembers it, so that a form
 * shown again (a reopened popup) does not offer an attempt the server would refuse.
 */
export async function signInLock(
  realm: RealmInfo,
  username: string,
  deps: Pick<FlowDeps, 'send'>,
): Promise<{ message: string; retryAt: number } | null> {
  const sent = usernameAsSent(username);
  if (sent === '') return null;
  const reply = await deps.send({ type: 'account.signInLock', realmUrl: realm.realmUrl, username: sent });
  const lock = reply.ok ? reply.lock : null;
  return lock?.retryAt === undefined ? null : { message: lock.message, retryAt: lock.retryAt };
}

/**
 * A way in with what the person typed, from a click or submit handler like lookUpServer: it may ask
 * for the realm's own host first (ensureRealmHost). `beforeSend` runs as the secret leaves for the
 * background, which finishes the sign-in even if the popup closes now.
 */
export type WayIn<Input, Outcome> = (input: Input, deps: FlowDeps, beforePrompt?: (origin: string) => void, beforeSend?: () => void) => Promise<Outcome>;

export const signIn: WayIn<SignInInput, SignInOutcome> = async (input, deps, beforePrompt, beforeSend) => {
  const missing = missingFieldMessageKey(input);
  if (missing) {
    const field = missing === 'popup_error_password_empty' ? 'password' : 'username';
    return { ok: false, message: deps.t(missing), field, missing: true };
  }
  const refused = await ensureRealmHost(input.realm, input.origin, deps, beforePrompt);
  if (refused !== null) return { ok: false, message: refused, field: null };
  const { realm } = input;
  beforeSend?.();
  const reply = await deps.send({
    type: 'account.signIn',
    realmUrl: realm.realmUrl,
    username: usernameAsSent(input.username),
    password: input.password,
  });
  if (reply.ok) return { ok: true, account: reply.account, replaced: reply.replaced };
  const { error } = reply;
  return {
    ok: false,
    message: error.message,
    field: error.code === 'USERNAME_NOT_EMAIL' ? 'username' : 'password',
    ...(error.code === 'RATE_LIMIT_HIT' && error.retryAt !== undefined ? { retryAt: error.retryAt } : {}),
  };
};
