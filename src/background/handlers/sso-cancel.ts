import type { Handler } from './handler';

export const cancelSso: Handler<'sso.cancel'> = async (_request, _sender, deps) => ({ ok: true, cancelled: await deps.ssoFlows.cancel() });
