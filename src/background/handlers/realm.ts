// A development server's users, for signing in as one of them without a password.
import { originOf } from '../../shared/realm-url';
import type { DevUser } from '../../shared/zulip/api-client';
import { devAuthFailure } from '../failures/dev-auth-failure';
import { reachableOrigin, type Handler } from './handler';

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
