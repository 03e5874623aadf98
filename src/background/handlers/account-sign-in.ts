// Username and password in, a stored account out: the password goes to the realm and nowhere else.
import type { RealmInfo, ZulipClient } from '../../shared/zulip/api-client';
import { syncContentScripts } from '../sync-content-scripts';
import { apiFailure, reachableOrigin, type Handler } from './handler';

export const signIn: Handler<'account.signIn'> = async (request, _sender, deps) => {
  const target = await reachableOrigin(request.realmUrl, deps);
  if (!('origin' in target)) return target;
  let realm: RealmInfo;
  try {
    // Asked again rather than trusted from the popup: the realm's name, icon and canonical URL are stored.
    realm = await deps.zulip.getServerSettings(target.origin);
  } catch (error) {
    return apiFailure(error, target.origin, true, deps);
  }
  if (realm.realmUrl !== target.origin) {
    const canonical = await reachableOrigin(realm.realmUrl, deps);
    if (!('origin' in canonical)) return canonical;
  }
  let grant: Awaited<ReturnType<ZulipClient['fetchApiKey']>>;
  try {
    grant = await deps.zulip.fetchApiKey(realm.realmUrl, request.username, request.password);
  } catch (error) {
    return apiFailure(error, realm.realmUrl, realm.usernameIsEmail, deps);
  }
  let userId = grant.userId;
  if (userId === null) {
    // Servers before feature level 171 do not say who signed in; the new key can ask.
    try {
      userId = await deps.zulip.getOwnUserId(realm.realmUrl, grant.email, grant.apiKey);
    } catch (error) {
      return apiFailure(error, realm.realmUrl, realm.usernameIsEmail, deps);
    }
  }
  const { saved, replaced } = await deps.accounts.put({
    realmUrl: realm.realmUrl,
    realmName: realm.name,
    realmIconUrl: realm.iconUrl,
    email: grant.email,
    userId,
    zulipVersion: realm.zulipVersion,
    featureLevel: realm.featureLevel,
    apiKey: grant.apiKey,
  });
  await syncContentScripts(deps);
  return { ok: true, account: saved, replaced };
};
