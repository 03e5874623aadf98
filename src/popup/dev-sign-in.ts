// The development sign-in (Zulip's development servers), free of UI like add-account.ts.
import type { AccountSummary } from '../shared/reply-values';
import type { RealmInfo } from '../shared/zulip/realm-info';
import type { FlowDeps } from './add-account';
import { ensureRealmHost } from './sign-in';

export type DevUsersOutcome = { ok: true; admins: string[]; users: string[] } | { ok: false; message: string };
export type DevSignInOutcome = { ok: true; account: AccountSummary; replaced: AccountSummary | null } | { ok: false; message: string };

export async function listDevUsers(realm: RealmInfo, deps: Pick<FlowDeps, 'send'>): Promise<DevUsersOutcome> {
  const reply = await deps.send({ type: 'realm.devUsers', realmUrl: realm.realmUrl });
  return reply.ok ? { ok: true, admins: reply.admins, users: reply.users } : { ok: false, message: reply.error.message };
}

/** From a click handler, like signIn: it may ask for the realm's own host first; `beforeSend` as signIn's. */
export async function signInAsDevUser(
  realm: RealmInfo,
  origin: string,
  email: string,
  deps: FlowDeps,
  beforePrompt?: (origin: string) => void,
  beforeSend?: () => void,
): Promise<DevSignInOutcome> {
  const refused = await ensureRealmHost(realm, origin, deps, beforePrompt);
  if (refused !== null) return { ok: false, message: refused };
  beforeSend?.();
  const reply = await deps.send({ type: 'account.devSignIn', realmUrl: realm.realmUrl, email });
  return reply.ok ? { ok: true, account: reply.account, replaced: reply.replaced } : { ok: false, message: reply.error.message };
}
