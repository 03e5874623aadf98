// Single sign-on starts here: the method is looked up again on the realm rather than trusted from
// the popup, since its login URL decides where the one-time pad goes.
import { withCompletionOrigins } from '../completion-origin';
import { flowSummary } from '../sso-flow';
import { apiFailure, failure, reachableOrigin, type Handler } from './handler';

export const startSso: Handler<'sso.start'> = async (request, _sender, deps) => {
  const target = await reachableOrigin(request.realmUrl, deps);
  if (!('origin' in target)) return target;
  let realm;
  try {
    realm = await deps.zulip.getServerSettings(target.origin);
  } catch (error) {
    return apiFailure(error, target.origin, true, deps);
  }
  if (realm.realmUrl !== target.origin) {
    const canonical = await reachableOrigin(realm.realmUrl, deps);
    if (!('origin' in canonical)) return canonical;
  }
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
