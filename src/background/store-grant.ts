// A key a realm handed out (for a password, a development sign-in or a pasted key) made into a
// stored account of that realm.
import type { Reply } from '../shared/messages';
import type { ApiKeyGrant, RealmInfo } from '../shared/zulip/api-client';
import { apiFailure, type BackgroundDeps } from './handlers/handler';
import { saveAccount } from './save-account';

export async function storeGrant(realm: RealmInfo, grant: ApiKeyGrant, deps: BackgroundDeps): Promise<Reply<'account.signIn'>> {
  let userId = grant.userId;
  if (userId === null) {
    // Servers before feature level 171 do not say who signed in; the new key can ask.
    try {
      userId = await deps.zulip.getOwnUserId(realm.realmUrl, grant.email, grant.apiKey);
    } catch (error) {
      return apiFailure(error, realm.realmUrl, realm.usernameIsEmail, deps);
    }
  }
  const account = {
    realmUrl: realm.realmUrl,
    realmName: realm.name,
    realmIconUrl: realm.iconUrl,
    email: grant.email,
    userId,
    zulipVersion: realm.zulipVersion,
    featureLevel: realm.featureLevel,
    apiKey: grant.apiKey,
  };
  const { saved, replaced } = await saveAccount(account, deps);
  return { ok: true, account: saved, replaced };
}
