// The organization at a URL, for the popup's first step, with the host each of its single sign-on
// methods will need.
import { withCompletionOrigins } from '../sso/completion-origin';
import { reachableRealm, type Handler } from './handler';

export const lookUpRealm: Handler<'realm.lookup'> = async (request, _sender, deps) => {
  const found = await reachableRealm(request.serverUrl, deps, false);
  if (!('realm' in found)) return found;
  let { realm } = found;
  // Only a held host can be probed: a realm naming another host than the one typed is asked for at
  // sign-in, and its single sign-on then learns the rest when it starts (sso-start.ts).
  if (await deps.hasHostPermission(realm.realmUrl)) realm = await withCompletionOrigins(realm, deps.firstRedirect);
  return { ok: true, realm };
};
