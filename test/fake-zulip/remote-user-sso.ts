// Remote-user single sign-on (ZulipRemoteUserBackend), where the web server in front of Zulip
// authenticates the person and hands Zulip the REMOTE_USER variable. A realm offers it when its
// external_authentication_methods list REMOTE_USER_AUTH_METHOD (zproject/backends.py
// ZulipRemoteUserBackend.dict_representation: name "remoteuser", display_name "SSO", no icon, the
// same URL to log in and to sign up). Routes on the realm's own server:
//
//   /accounts/login/start/sso/?<query>  start_remote_user_sso (zerver/views/auth.py, from feature
//       level 8, Zulip 3.0): a 302 to /accounts/login/sso/ with the query exactly as received, so
//       mobile_flow_otp rides along. Zulip 2.1 lists /accounts/login/sso/ itself as the login_url.
//   /accounts/login/sso/?<query>        remote_user_sso, behind the web server's SSO module. The fake
//       plays the module as an OpenID Connect one would (mod_auth_openidc, say): the first visit goes
//       to the identity provider's /authorize with the query kept under a fresh state; the way back
//       (?state=…&code=…) redeems the code, and the email it stands for is REMOTE_USER. Then, as
//       remote_user_sso does (8.0, main): the backend off → its 500 config error page; an email that
//       is not one, a bad OTP or both OTPs → 400 JSON; an active account with mobile_flow_otp → the
//       bare 302 to zulip://login?… that social-auth.ts's finishMobileFlow builds (the same
//       finish_mobile_flow); an active account without one → 302 into the realm; anything else
//       (no account, a deactivated account or organization) → maybe_send_to_registration's page,
//       never a zulip:// URL. The final redirect thus comes from the realm's own origin.
//
// Simplifications: the module's state lives in the fake, not in a cookie; an unknown state answers
// 400 HTML; the desktop app's page for a ZulipElectron User-Agent (handle_desktop_flow) and the
// desktop_flow_otp flow are not played (501, as in social-auth.ts).

import { isValidEmail, pythonUrlencode, requestParams } from './django-compat';
import { redeemAuthorizationCode } from './identity-provider';
import { isUserActive, serverFacts, type FakeRealmConfig } from './realm-config';
import {
  accountNotFound,
  findUser,
  finishMobileFlow,
  identityProviderOf,
  mobileFlowOtpOf,
  params,
  randomToken,
  redirect,
  type SsoSite,
} from './social-auth';
import { htmlDocument as page, jsonError, type Reply, type RequestContext } from './zulip-endpoints';

const START_PATH = '/accounts/login/start/sso/';
const SSO_PATH = '/accounts/login/sso/';

/** The query each flow at the web server's SSO module arrived with, by the module's state. */
const pendingQueries = new WeakMap<SsoSite, Map<string, string>>();

function offersRemoteUser(realm: FakeRealmConfig): boolean {
  return (realm.externalAuthenticationMethods ?? []).some((method) => method.name === 'remoteuser');
}

/** zerver/views/errors.py config_error, rendered by remote_user_sso when the backend is off. */
function backendDisabled(): Reply {
  return page(
    500,
    'Configuration error | Zulip',
    '<h1>Configuration error</h1>\n<p>Remote user authentication is not enabled on this server.</p>',
  );
}

/** remote_user_sso with REMOTE_USER set to `remoteUser` and the query the flow started with. */
function remoteUserSso(site: SsoSite, realm: FakeRealmConfig, remoteUser: string, query: string): Reply {
  const param = requestParams(undefined, Buffer.alloc(0), query);
  if (!isValidEmail(remoteUser)) return jsonError(400, 'Enter a valid email address.', 'BAD_REQUEST');
  const otps = mobileFlowOtpOf(param);
  if ('reply' in otps) return otps.reply;
  // authenticate → common_get_active_user: a deactivated organization or account is no account.
  const user = findUser(realm, remoteUser);
  if (!user || !isUserActive(user) || realm.deactivated) return accountNotFound(realm, remoteUser);
  if (otps.otp !== undefined) return finishMobileFlow(realm, site.realmUrl, user, otps.otp, remoteUser);
  return redirect(site.realmUrl);
}

/** The web server's SSO module in front of /accounts/login/sso/, then remote_user_sso. */
function ssoEndpoint(ctx: RequestContext, site: SsoSite, realm: FakeRealmConfig): Reply {
  const identityProvider = identityProviderOf(realm);
  // Without the backend there is no module either: Zulip sees no REMOTE_USER and refuses first.
  if (!offersRemoteUser(realm) || identityProvider === undefined) return backendDisabled();
  const pending = pendingQueries.get(site) ?? new Map<string, string>();
  pendingQueries.set(site, pending);
  const param = params(ctx);
  const state = param('state');
  const code = param('code');
  const redirectUri = `${site.origin}${SSO_PATH}`;
  if (state === undefined || code === undefined) {
    const fresh = randomToken();
    pending.set(fresh, ctx.query);
    const query = pythonUrlencode([
      ['client_id', 'fake-zulip-remoteuser'],
      ['redirect_uri', redirectUri],
      ['state', fresh],
      ['response_type', 'code'],
    ]);
    return redirect(`${identityProvider}/authorize?${query}`);
  }
  const original = pending.get(state);
  pending.delete(state);
  const remoteUser = original === undefined ? undefined : redeemAuthorizationCode(identityProvider, code, redirectUri);
  if (original === undefined || remoteUser === undefined) {
    return page(400, 'Authentication failed', '<h1>Authentication failed</h1>\n<p>This sign-in link is unknown or was already used.</p>');
  }
  return remoteUserSso(site, realm, remoteUser, original);
}

/** The reply for a remote-user SSO path, or null when `ctx.pathname` is not one. */
export function remoteUserSsoRoute(ctx: RequestContext, site: SsoSite): Reply | null {
  const realm = ctx.realm;
  if (!realm) return null;
  if (ctx.pathname === START_PATH && serverFacts(realm).featureLevel >= 8) {
    return redirect(ctx.query === '' ? SSO_PATH : `${SSO_PATH}?${ctx.query}`);
  }
  if (ctx.pathname === SSO_PATH) return ssoEndpoint(ctx, site, realm);
  return null;
}
