// What server_settings says about a realm, as the extension uses it: the organization an account
// belongs to, and the ways to sign in to it.
import { ApiError } from './api-error';
import type { ServerSettings } from './schemas';
import { isLoopbackHostname, originOf, resolveIconUrl } from '../realm-url';

export interface RealmInfo {
  /** The server's own canonical URL (realm_url, or realm_uri before feature level 257): the account's identity. */
  realmUrl: string;
  name: string;
  iconUrl: string | null;
  zulipVersion: string;
  featureLevel: number;
  /** Email or LDAP password sign-in is allowed. */
  passwordAuth: boolean;
  /** False on LDAP realms whose people sign in with a username. */
  usernameIsEmail: boolean;
  /** The single sign-on methods, in the server's order. */
  externalMethods: ExternalAuthMethod[];
  /** A development server whose DevAuthBackend signs anyone in without a password (§3). */
  devAuth: boolean;
}

/** One of server_settings' external_authentication_methods (SSO through Zulip's mobile flow). */
export interface ExternalAuthMethod {
  /** Zulip's name for it ("google", "saml:idp_name"): how the popup names the choice to the background. */
  name: string;
  displayName: string;
  /** Absolute (resolved against the realm), or null. */
  iconUrl: string | null;
  /** As the server gave it: relative to the realm. */
  loginUrl: string;
  /**
   * The origin that answers the flow's final redirect when it is not the realm's (multi-organization
   * servers complete SSO on their root or social-auth host), learned when the realm is looked up;
   * null when it is the realm's or could not be learned.
   */
  completionOrigin: string | null;
}

/** The realm server_settings describes, or the ApiError that says why it is none we can sign in to; `status` is the answer's. */
export function realmInfoFrom(settings: ServerSettings, status: number): RealmInfo {
  const realmUrl = settings.realm_url ?? settings.realm_uri;
  // A multi-organization root answers without a realm name (zulip-mobile reads that as "Subdomain required").
  if (settings.realm_name === undefined || realmUrl === undefined) throw new ApiError({ kind: 'no-realm' });
  const origin = originOf(realmUrl);
  if (origin === null) throw new ApiError({ kind: 'malformed', status });
  const { protocol, hostname } = new URL(origin);
  if (protocol === 'http:' && !isLoopbackHostname(hostname)) throw new ApiError({ kind: 'insecure-realm', realmUrl: origin });
  const methods = settings.authentication_methods ?? {};
  return {
    realmUrl: origin,
    name: settings.realm_name,
    iconUrl: resolveIconUrl(settings.realm_icon, origin),
    zulipVersion: settings.zulip_version,
    featureLevel: settings.zulip_feature_level ?? 0,
    passwordAuth: settings.email_auth_enabled === true || methods.ldap === true,
    usernameIsEmail: settings.require_email_format_usernames !== false,
    externalMethods: (settings.external_authentication_methods ?? []).map((method) => ({
      name: method.name,
      displayName: method.display_name,
      iconUrl: resolveIconUrl(method.display_icon, origin),
      loginUrl: method.login_url,
      completionOrigin: null,
    })),
    devAuth: methods['dev'] === true,
  };
}
