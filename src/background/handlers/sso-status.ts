import { flowSummary } from '../sso/sso-flow';
import type { Handler } from './handler';

export const ssoStatus: Handler<'sso.status'> = async (_request, _sender, deps) => {
  const { flow, outcome } = await deps.ssoFlows.status();
  return { ok: true, flow: flow && flowSummary(flow), outcome };
};
