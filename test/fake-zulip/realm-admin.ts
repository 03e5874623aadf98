// What people do to a realm while a test runs, done to the fake's mutable realm config: the next
// request sees it, as the next request to a real server would.

import { randomInt } from 'node:crypto';
import type { FakeRealmConfig, FakeUser } from './realm-config';

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function userOf(realm: FakeRealmConfig, email: string): FakeUser {
  const user = realm.users.find((candidate) => candidate.email.toLowerCase() === email.toLowerCase());
  if (!user) throw new Error(`no user ${email} in realm ${realm.name}`);
  return user;
}

/**
 * A new API key for the user, as POST /api/v1/users/me/api_key/regenerate makes one (32 characters
 * of [A-Za-z0-9]): the old key is refused from now on, and fetch_api_key hands out the new one.
 */
export function regenerateApiKey(realm: FakeRealmConfig, email: string): string {
  const user = userOf(realm, email);
  let apiKey: string;
  do {
    apiKey = Array.from({ length: 32 }, () => KEY_ALPHABET[randomInt(KEY_ALPHABET.length)]).join('');
  } while (apiKey === user.apiKey);
  user.apiKey = apiKey;
  return apiKey;
}

/** An administrator deactivates (or reactivates) the user; their key is kept, as Zulip keeps it. */
export function setUserActive(realm: FakeRealmConfig, email: string, active: boolean): void {
  userOf(realm, email).isActive = active;
}

/** The whole organization is deactivated (or reactivated). */
export function setRealmDeactivated(realm: FakeRealmConfig, deactivated: boolean): void {
  realm.deactivated = deactivated;
}
