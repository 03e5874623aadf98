// Single sign-on starts here: the method is looked up again on the realm rather than trusted from
// the popup, since its login URL decides where the one-time pad goes.
import { withCompletionOrigins } from '../sso/completion-origin';
import { flowSummary } from '../sso/sso-flow';
import { failure, lockedFailure, reachableOrigin, reachableRealm, type Handler } from './handler';

export const startSso: Handler<'sso.start'> = async (request, _sender, deps) => {
  // The key it brings back could not be sealed (see lockedFailure).
  const locked = await lockedFailure(deps);
  if (locked) return locked;
  const found = await reachableRealm(request.realmUrl, deps, true);
  if (!('realm' in found)) return found;
  const { realm } = found;
  const listed = realm.externalMethods.find((candidate) => candidate.name === request.method);
  if (!listed) return failure('SSO_METHOD_UNKNOWN', deps.t('error_sso_method_unknown', [realm.name]));
  // Without the host that answers the final redirect, the flow could never end but by timing out.
  const [method] = (await withCompletionOrigins({ ...realm, externalMethods: [listed] }, deps.firstRedirect)).externalMethods;
  if (method?.completionOrigin) {
    const completion = await reachableOrigin(method.completionOrigin, deps);
    if (!('origin' in completion)) return completion;
  }
  const started = await deps.ssoFlows.start({ realm, displayName: listed.displayName, loginUrl: listed.loginUrl });
  if (!started.ok) return failure(started.code, started.message);
  return { ok: true, flow: flowSummary(started.flow) };
};
