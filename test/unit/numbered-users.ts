// People for fake realms in tests that run several: each realm's users have their own emails,
// passwords and API keys, so a key found anywhere names the realm and person it belongs to.
import type { FakeUser } from '../fake-zulip/fake-zulip-server';

export function numberedUsers(realm: number, count: number): FakeUser[] {
  return Array.from({ length: count }, (_, user) => ({
    email: `user${user}@org${realm}.test`,
    password: `password-${realm}-${user}`,
    apiKey: `key${realm}${user}`.padEnd(32, 'Q'),
    userId: 100 + user,
    fullName: `User ${user} of org ${realm}`,
  }));
}
