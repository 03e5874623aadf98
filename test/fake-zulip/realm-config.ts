// Configuration types for the fake Zulip server, and the defaults that stand in
// for settings a real server takes from its deployment rather than its realm.

import type { FakeZulipServer } from './fake-zulip-server';

export interface FakeUser {
  email: string; // delivery email
  password: string;
  apiKey: string; // 32 chars [A-Za-z0-9]
  userId: number;
  fullName: string;
  isActive?: boolean; // default true
  ldapUsername?: string; // for LDAP realms: the username that logs in as this user
  passwordResetRequired?: boolean;
  /** Zulip role number: 100 owner, 200 admin, 300 moderator, 400 member, 600 guest. Default 400. */
  role?: number;
  /** ISO timestamp reported by /users/me. */
  dateJoined?: string;
}

export interface ExternalAuthMethod {
  name: string;
  display_name: string;
  display_icon: string | null;
  login_url: string;
  signup_url: string;
}

export interface FakeRealmConfig {
  name: string;
  icon: string; // absolute, or relative to the realm URL
  description: string; // HTML
  zulipVersion?: string; // default "10.0"
  /** Default: same as zulipVersion. */
  zulipMergeBase?: string;
  /**
   * Default 371; drives old-server behaviour. 0 stands for Zulip 2.1, which had no feature level
   * (zulip_feature_level came with 3.0 at 1).
   */
  featureLevel?: number;
  emailAuthEnabled?: boolean; // default true
  ldapEnabled?: boolean; // default false
  requireEmailFormatUsernames?: boolean; // default: !ldapEnabled
  externalAuthenticationMethods?: ExternalAuthMethod[]; // default []
  deactivated?: boolean; // realm deactivated
  users: FakeUser[];
  /** Emails with an account in another realm of the same server: fetch_api_key answers as the version does (see fetchApiKey). */
  emailsInOtherRealms?: string[];
  /**
   * Accounts of other realms on the same server. Their emails behave like
   * `emailsInOtherRealms`; their API keys are recognised server-wide, so
   * /users/me answers "Account is not associated with this subdomain".
   */
  otherRealmUsers?: FakeUser[];
  /** The realms of `otherRealmUsers` are deactivated: /users/me with their keys says so before naming the subdomain. */
  otherRealmsDeactivated?: boolean;
  rateLimit?: { attempts: number; windowSeconds: number } | false; // default {5, 1800}
  /** The per-user limit on authenticated API calls (users/me here); default {200, 60}. */
  apiRateLimit?: { attempts: number; windowSeconds: number } | false;
  pushNotificationsEnabled?: boolean; // default false
  /**
   * Backend names the server version knows, i.e. the keys of
   * `authentication_methods` besides `password`. The key set changes between
   * versions without a documented feature level, so it is set here rather than
   * derived from `featureLevel`. Default: the eleven of current Zulip.
   */
  authBackendKeys?: string[];
  /**
   * Single sign-on for the methods in `externalAuthenticationMethods` whose login_url is
   * `/accounts/login/social/...` (see social-auth.ts). Without it those URLs answer 404.
   */
  sso?: FakeSsoConfig;
  /**
   * DevAuthBackend is on (Zulip's development environment): server_settings reports
   * `authentication_methods.dev`, and dev_list_users / dev_fetch_api_key answer. Default false.
   */
  devAuthEnabled?: boolean;
  /**
   * settings.PRODUCTION. From Zulip 4.0 a production server does not route the development endpoints
   * at all (an HTML 404); before, they answer 400 "Dev environment not enabled.". Default false.
   */
  production?: boolean;
}

export interface FakeSsoConfig {
  /** Origin of the identity provider (FakeIdentityProvider.url). */
  identityProvider: string;
  /**
   * The server on the social-auth origin, which serves /login/<backend>/ and /complete/<backend>/
   * and so sends the final redirect: another startFakeZulip instance for a multi-organization
   * layout, e.g. `{ realm: null, host: 'localhost', realmlessHost: 'root' }`. Default: the
   * realm's own server, as on a single-organization server.
   */
  socialAuthServer?: FakeZulipServer;
  /** Faults in the final zulip:// redirect. */
  tamper?: 'wrong-realm' | 'short-key';
}

/**
 * What a host without a realm answers, following Zulip's three cases: an
 * unknown subdomain ("Invalid subdomain"), the root domain of a server with a
 * landing page ("Subdomain required"), or the root domain of a server without
 * one (server_settings succeeds with the server-wide fields only).
 */
export type RealmlessHost = 'unknown-subdomain' | 'root-landing-page' | 'root';

export const CURRENT_AUTH_BACKEND_KEYS: readonly string[] = [
  'dev',
  'email',
  'ldap',
  'remoteuser',
  'github',
  'azuread',
  'gitlab',
  'apple',
  'google',
  'saml',
  'openid connect',
];

export const DEFAULT_RATE_LIMIT = { attempts: 5, windowSeconds: 1800 } as const;

// zproject/default_settings.py DEFAULT_RATE_LIMITING_RULES "api_by_user": [(60, 200)] (8.0 and main).
export const DEFAULT_API_RATE_LIMIT = { attempts: 200, windowSeconds: 60 } as const;

export interface ServerFacts {
  zulipVersion: string;
  zulipMergeBase: string;
  featureLevel: number;
  emailAuthEnabled: boolean;
  ldapEnabled: boolean;
  requireEmailFormatUsernames: boolean;
  externalAuthenticationMethods: ExternalAuthMethod[];
  pushNotificationsEnabled: boolean;
  authBackendKeys: readonly string[];
  devAuthEnabled: boolean;
  production: boolean;
}

export function serverFacts(realm: FakeRealmConfig): ServerFacts {
  const zulipVersion = realm.zulipVersion ?? '10.0';
  const ldapEnabled = realm.ldapEnabled ?? false;
  return {
    zulipVersion,
    zulipMergeBase: realm.zulipMergeBase ?? zulipVersion,
    featureLevel: realm.featureLevel ?? 371,
    emailAuthEnabled: realm.emailAuthEnabled ?? true,
    ldapEnabled,
    requireEmailFormatUsernames: realm.requireEmailFormatUsernames ?? !ldapEnabled,
    externalAuthenticationMethods: realm.externalAuthenticationMethods ?? [],
    pushNotificationsEnabled: realm.pushNotificationsEnabled ?? false,
    authBackendKeys: realm.authBackendKeys ?? CURRENT_AUTH_BACKEND_KEYS,
    devAuthEnabled: realm.devAuthEnabled ?? false,
    production: realm.production ?? false,
  };
}

/** A realm-less root reports server-wide settings: a stock, current, password-only server. */
export const ROOT_SERVER_FACTS: ServerFacts = serverFacts({ name: '', icon: '', description: '', users: [] });

export function isUserActive(user: FakeUser): boolean {
  return user.isActive ?? true;
}

/**
 * Whether a zulip_version ("9.4", "10.0-dev+git", "2.1.0") is this release or later. For changes
 * that no feature level marks: maintenance releases share their major release's levels.
 */
export function versionAtLeast(version: string, major: number, minor: number): boolean {
  const match = /^(\d+)\.(\d+)/.exec(version);
  if (!match) return false;
  const [have, haveMinor] = [Number(match[1]), Number(match[2])];
  return have > major || (have === major && haveMinor >= minor);
}
