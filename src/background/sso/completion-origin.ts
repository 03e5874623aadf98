// Which host answers the final redirect of each single sign-on method. On a single-organization
// server it is the realm; on a multi-organization server the realm's login URL first redirects to
// the root domain or the social-auth subdomain (Zulip's oauth_redirect_to_root), which completes
// the flow there. The extension needs that host's permission to see the redirect, asked for from
// the click, so it is learned with the realm: from the login URL's first redirect, without a pad.
import { originOf } from '../../shared/realm-url';
import type { RealmInfo } from '../../shared/zulip/realm-info';
import { methodLoginUrl } from '../../shared/zulip/mobile-flow';

export type FirstRedirect = (url: string) => Promise<string | null>;

export async function withCompletionOrigins(realm: RealmInfo, firstRedirect: FirstRedirect): Promise<RealmInfo> {
  const externalMethods = await Promise.all(
    realm.externalMethods.map(async (method) => {
      const loginUrl = methodLoginUrl(realm.realmUrl, method.loginUrl);
      const target = loginUrl && (await firstRedirect(loginUrl.href));
      const origin = target ? originOf(target) : null;
      return { ...method, completionOrigin: origin !== null && origin !== realm.realmUrl ? origin : null };
    }),
  );
  return { ...realm, externalMethods };
}
