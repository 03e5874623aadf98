// A key a realm handed out (for a password, a development sign-in, single sign-on or a pasted key)
// made into a stored account of that realm.
import type { Reply } from '../../shared/messages';
import type { ApiKeyGrant, ZulipClient } from '../../shared/zulip/api-client';
import type { RealmInfo } from '../../shared/zulip/realm-info';
import { apiFailure, type ReplyDeps } from '../failures/reply';
import type { AccountStore } from './account-store';
import { saveAccount } from './save-account';
import type { ContentScriptDeps } from './sync-content-scripts';

/** What an account keeps of its realm, and how the realm's refusals read. */
export type GrantRealm = Pick<RealmInfo, 'realmUrl' | 'name' | 'iconUrl' | 'zulipVersion' | 'featureLevel' | 'usernameIsEmail'>;

/** What storing a grant takes: users/me for servers that do not say who signed in, and the store. */
export interface StoreGrantDeps extends ReplyDeps, ContentScriptDeps {
  accounts: Pick<AccountStore, 'put' | 'list'>;
  zulip: Pick<ZulipClient, 'getOwnUser'>;
}

export async function storeGrant(realm: GrantRealm, grant: ApiKeyGrant, deps: StoreGrantDeps): Promise<Reply<'account.signIn'>> {
  let { userId, email } = grant;
  if (userId === null) {
    // Servers before feature level 171 (fetch_api_key) or 108 (single sign-on) do not say who
    // signed in; the new key can ask.
    let own: Awaited<ReturnType<ZulipClient['getOwnUser']>>;
    try {
      own = await deps.zulip.getOwnUser(realm.realmUrl, grant.email, grant.apiKey);
    } catch (error) {
      return apiFailure(error, realm.realmUrl, realm.usernameIsEmail, deps);
    }
    userId = own.userId;
    // Zulip 2.1's single sign-on names the account as the identity provider spelled the address;
    // users/me spells it as the server does. Another address there is the one shown to others when
    // emails are hidden (2.1's users/me sends no delivery_email), which the key would not work with.
    if (own.email.toLowerCase() === grant.email.toLowerCase()) email = own.email;
  }
  const account = {
    realmUrl: realm.realmUrl,
    realmName: realm.name,
    realmIconUrl: realm.iconUrl,
    email,
    userId,
    zulipVersion: realm.zulipVersion,
    featureLevel: realm.featureLevel,
    apiKey: grant.apiKey,
  };
  const { saved, replaced } = await saveAccount(account, deps);
  return { ok: true, account: saved, replaced };
}
