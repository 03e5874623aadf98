// Signs in as one of a development server's users: dev_fetch_api_key needs no password.
import type { ApiKeyGrant } from '../../shared/zulip/api-client';
import { devAuthFailure } from '../failures/dev-auth-failure';
import { storeGrant } from '../accounts/store-grant';
import { lockedFailure, reachableRealm, type Handler } from './handler';

export const devSignIn: Handler<'account.devSignIn'> = async (request, _sender, deps) => {
  // The key it brings back could not be sealed while locked (see lockedFailure).
  const locked = await lockedFailure(deps);
  if (locked) return locked;
  // Asked again rather than trusted from the popup: the realm's name, icon and canonical URL are stored.
  const found = await reachableRealm(request.realmUrl, deps, true);
  if (!('realm' in found)) return found;
  const { realm } = found;
  const email = request.email.trim();
  let grant: ApiKeyGrant;
  try {
    grant = await deps.zulip.devFetchApiKey(realm.realmUrl, email);
  } catch (error) {
    return devAuthFailure(error, realm.realmUrl, { realm, email }, deps);
  }
  return storeGrant(realm, grant, deps);
};
