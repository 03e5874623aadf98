// What the popup asks about an organization before signing in to it.
import { originOf } from '../../shared/realm-url';
import type { DevUser } from '../../shared/zulip/api-client';
import { devAuthFailure } from '../failures/dev-auth-failure';
import { withCompletionOrigins } from '../sso/completion-origin';
import type { Handler } from './handler';
import { reachableOrigin, reachableRealm } from './guards';

/** The organization at a URL, for the popup's first step, with the host each of its single sign-on methods will need. */
export const lookUpRealm: Handler<'realm.lookup'> = async (request, _sender, deps) => {
  const found = await reachableRealm(request.serverUrl, deps, false);
  if (!('realm' in found)) return found;
  let { realm } = found;
  // Only a held host can be probed: a realm naming another host than the one typed is asked for at
  // sign-in, and its single sign-on then learns the rest when it starts (startSso in sso.ts).
  if (await deps.hasHostPermission(realm.realmUrl)) realm = await withCompletionOrigins(realm, deps.firstRedirect);
  return { ok: true, realm };
};

/** A development server's users, for signing in as one of them without a password. */
export const listDevUsers: Handler<'realm.devUsers'> = async (request, _sender, deps) => {
  const target = await reachableOrigin(request.realmUrl, deps);
  if (!('origin' in target)) return target;
  let listed: Awaited<ReturnType<typeof deps.zulip.devListUsers>>;
  try {
    listed = await deps.zulip.devListUsers(target.origin);
  } catch (error) {
    return devAuthFailure(error, target.origin, null, deps);
  }
  // The server lists the users of every organization it hosts; only this one's can sign in here.
  const here = (users: DevUser[]) => users.filter((user) => user.realmUrl !== null && originOf(user.realmUrl) === target.origin).map((user) => user.email);
  return { ok: true, admins: here(listed.admins), users: here(listed.users) };
};
