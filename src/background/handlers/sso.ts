// Single sign-on as the popup drives it: start a flow, ask how it goes, give it up. The flow itself
// lives in sso/sso-flow.ts.
import { failure } from '../failures/reply';
import { withCompletionOrigins } from '../sso/completion-origin';
import { flowSummary } from '../sso/sso-flow';
import type { Handler } from './handler';
import { reachableOrigin, realmToStoreFor } from './guards';

/**
 * Single sign-on starts here: the method is looked up again on the realm rather than trusted from
 * the popup, since its login URL decides where the one-time pad goes.
 */
export const startSso: Handler<'sso.start'> = async (request, _sender, deps) => {
  const found = await realmToStoreFor(request.realmUrl, deps);
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

export const ssoStatus: Handler<'sso.status'> = async (_request, _sender, deps) => {
  const { flow, outcome } = await deps.ssoFlows.status();
  return { ok: true, flow: flow && flowSummary(flow), outcome };
};

export const cancelSso: Handler<'sso.cancel'> = async (_request, _sender, deps) => ({ ok: true, cancelled: await deps.ssoFlows.cancel() });
