// The demo organization: shaped like the Zulip development server's "Zulip Dev",
// with Iago's credentials from the API documentation examples.

import type { ExternalAuthMethod, FakeRealmConfig, FakeUser } from './realm-config';

export const IAGO = {
  email: 'iago@zulip.com',
  password: 'abcd1234',
  apiKey: 'gjA04ZYcqXKalvYMA8OeXSfzUOLrtbZv',
  userId: 5,
  fullName: 'Iago',
  role: 200, // administrator, as in the documentation's /users/me example
} as const satisfies FakeUser;

export const DESDEMONA = {
  email: 'desdemona@zulip.com',
  password: 'opensesame',
  apiKey: 'JTZZobwSnLzGkoMCGYyyiXcmslWzgzIP',
  userId: 6,
  fullName: 'Desdemona',
  role: 100, // owner
} as const satisfies FakeUser;

/** Deactivated: logging in answers USER_DEACTIVATED. */
export const HAMLET = {
  email: 'hamlet@zulip.com',
  password: 'hamlet-pw',
  apiKey: 'layBYkqaW823NgureufiCRJ4DXXh9Ecy',
  userId: 10,
  fullName: 'King Hamlet',
  isActive: false,
} as const satisfies FakeUser;

/** Has no account in the demo realm: signing in with it by SSO ends on Zulip's "account not found" page. */
export const STRANGER_EMAIL = 'stranger@example.com';

/** Zulip's Google and GitHub methods, as server_settings lists them (the API documentation's example). */
export const GOOGLE_AUTH_METHOD = {
  name: 'google',
  display_name: 'Google',
  display_icon: '/static/images/authentication_backends/googl_e-icon.png',
  login_url: '/accounts/login/social/google',
  signup_url: '/accounts/register/social/google',
} as const satisfies ExternalAuthMethod;

export const GITHUB_AUTH_METHOD = {
  name: 'github',
  display_name: 'GitHub',
  display_icon: '/static/images/authentication_backends/github-icon.png',
  login_url: '/accounts/login/social/github',
  signup_url: '/accounts/register/social/github',
} as const satisfies ExternalAuthMethod;

/**
 * Remote-user SSO as server_settings lists it from Zulip 3.0 (zproject/backends.py
 * ZulipRemoteUserBackend.dict_representation); on 2.1 both URLs are /accounts/login/sso/.
 */
export const REMOTE_USER_AUTH_METHOD = {
  name: 'remoteuser',
  display_name: 'SSO',
  display_icon: null,
  login_url: '/accounts/login/start/sso/',
  signup_url: '/accounts/login/start/sso/',
} as const satisfies ExternalAuthMethod;

/** A fresh copy each call, so a test that edits its realm cannot leak into the next. */
export function createDemoRealm(overrides: Partial<FakeRealmConfig> = {}): FakeRealmConfig {
  return {
    name: 'Zulip Dev',
    // Realm-relative, as uploaded icons are; the fake serves it, so demos work offline.
    icon: '/user_avatars/2/realm/icon.png?version=3',
    description: "<p>The Zulip development environment default organization.  It's great for testing!</p>",
    users: [{ ...IAGO }, { ...DESDEMONA }, { ...HAMLET }],
    ...overrides,
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Frozen, for read-only use (the demo script); tests that edit the realm should call createDemoRealm(). */
export const demoRealm: FakeRealmConfig = deepFreeze(createDemoRealm());
