// The organization at a URL, for the popup's first step.
import { apiFailure, reachableOrigin, type Handler } from './handler';

export const lookUpRealm: Handler<'realm.lookup'> = async (request, _sender, deps) => {
  const target = await reachableOrigin(request.serverUrl, deps);
  if (!('origin' in target)) return target;
  try {
    return { ok: true, realm: await deps.zulip.getServerSettings(target.origin) };
  } catch (error) {
    return apiFailure(error, target.origin, true, deps);
  }
};
