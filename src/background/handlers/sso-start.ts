// Single sign-on starts here: the method is looked up again on the realm rather than trusted from
// the popup, since its login URL decides where the one-time pad goes.
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
  const method = realm.externalMethods.find((candidate) => candidate.name === request.method);
  if (!method) return failure('SSO_METHOD_UNKNOWN', deps.t('error_sso_method_unknown', [realm.name]));
  const started = await deps.ssoFlows.start({ realm, displayName: method.displayName, loginUrl: method.loginUrl });
  if (!started.ok) return failure(started.code, started.message);
  return { ok: true, flow: flowSummary(started.flow) };
};
