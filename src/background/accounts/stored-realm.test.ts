// Reading a stored realm back as the store would have written it.
import { describe, expect, it } from 'vitest';
import { deepFreeze } from './deep-freeze';
import { STORED_REALM, storedAccount } from '../../../test/unit/stored-account';
import { accountStorageKey, rememberedRealmAt } from './stored-realm';

const REALM = STORED_REALM;
const stored = (userId: number, email: string, realmUrl = REALM) => storedAccount(userId, email, { realmUrl });
const KEY = accountStorageKey(REALM);

describe('rememberedRealmAt', () => {
  it('reads a realm only under its own key', () => {
    const realm = { realmUrl: REALM, defaultUserId: 5, accounts: [stored(5, 'iago@zulip.com')] };
    expect(rememberedRealmAt(KEY, realm)).toEqual(realm);
    expect(rememberedRealmAt(accountStorageKey('https://b.example.com'), realm)).toBeNull();
    expect(rememberedRealmAt('schemaVersion', realm)).toBeNull();
    expect(rememberedRealmAt(KEY, { ...realm, extra: true })).toBeNull();
  });

  it("drops another realm's accounts and repeated users or emails, and names a default that is there", () => {
    const iago = stored(5, 'iago@zulip.com');
    const othello = stored(7, 'othello@zulip.com');
    const accounts = [othello, iago, stored(5, 'someone@zulip.com'), stored(8, 'IAGO@zulip.com'), stored(9, 'x@zulip.com', 'https://b.example.com')];
    expect(rememberedRealmAt(KEY, { realmUrl: REALM, defaultUserId: 9, accounts })).toEqual({ realmUrl: REALM, defaultUserId: 5, accounts: [othello, iago] });
    expect(rememberedRealmAt(KEY, { realmUrl: REALM, defaultUserId: 9, accounts: [accounts[4]] })).toBeNull();
  });

  it('remembers what it read from a frozen value, frozen, and reads any other value again', () => {
    const frozen = deepFreeze({ realmUrl: REALM, defaultUserId: 5, accounts: [stored(5, 'iago@zulip.com')] });
    const first = rememberedRealmAt(KEY, frozen);
    expect(rememberedRealmAt(KEY, frozen)).toBe(first);
    expect(Object.isFrozen(first?.accounts[0])).toBe(true);
    const plain = { realmUrl: REALM, defaultUserId: 5, accounts: [stored(5, 'iago@zulip.com')] };
    expect(rememberedRealmAt(KEY, plain)).not.toBe(rememberedRealmAt(KEY, plain));
  });
});
