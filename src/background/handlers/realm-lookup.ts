// The organization at a URL, for the popup's first step, with the host each of its single sign-on
// methods will need.
import { withCompletionOrigins } from '../completion-origin';
import { apiFailure, reachableOrigin, type Handler } from './handler';

export const lookUpRealm: Handler<'realm.lookup'> = async (request, _sender, deps) => {
  const target = await reachableOrigin(request.serverUrl, deps);
  if (!('origin' in target)) return target;
  let realm;
  try {
    realm = await deps.zulip.getServerSettings(target.origin);
  } catch (error) {
    return apiFailure(error, target.origin, true, deps);
  }
  // Only a held host can be probed: a realm naming another host than the one typed is asked for at
  // sign-in, and its single sign-on then learns the rest when it starts (sso-start.ts).
  if (await deps.hasHostPermission(realm.realmUrl)) realm = await withCompletionOrigins(realm, deps.firstRedirect);
  return { ok: true, realm };
};
