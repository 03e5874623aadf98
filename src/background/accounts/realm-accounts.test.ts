// The rules of a realm's accounts, on stored realms built by hand.
import { describe, expect, it } from 'vitest';
import { claimDue, listed, select, withAccount, withoutAccount } from './realm-accounts';
import { STORED_REALM, storedAccount } from '../../../test/unit/stored-account';
import { accountStorageKey, type StoredRealm } from './stored-realm';

const REALM = STORED_REALM;
const stored = storedAccount;

const iago = stored(5, 'iago@zulip.com');
const othello = stored(7, 'othello@zulip.com');
const realm: StoredRealm = { realmUrl: REALM, defaultUserId: 7, accounts: [iago, othello] };

describe('select', () => {
  it('finds an account by user id, by email whatever its case, or else the default', () => {
    expect(select(realm, { userId: 5 })).toBe(iago);
    expect(select(realm, { email: 'IAGO@zulip.com' })).toBe(iago);
    expect(select(realm)).toBe(othello);
    expect(select(realm, { userId: 6 })).toBeNull();
  });
});

describe('listed', () => {
  it('lists by organization name, each default first, then by email', () => {
    const other: StoredRealm = { realmUrl: 'https://b.example.com', defaultUserId: 1, accounts: [stored(1, 'z@b.example.com', { realmUrl: 'https://b.example.com', realmName: 'Another' })] };
    expect(listed([realm, other]).map(({ email, isDefault }) => [email, isDefault])).toEqual([
      ['z@b.example.com', true],
      ['othello@zulip.com', true],
      ['iago@zulip.com', false],
    ]);
  });
});

describe('withAccount', () => {
  it("makes a realm's first account its default", () => {
    expect(withAccount(null, iago)).toEqual({ realm: { realmUrl: REALM, defaultUserId: 5, accounts: [iago] }, replaced: null });
  });

  it('adds another person beside the default, and every account shows the organization as the server just described it', () => {
    const { realm: saved } = withAccount({ realmUrl: REALM, defaultUserId: 5, accounts: [iago] }, { ...othello, realmName: 'Renamed' });
    expect(saved.defaultUserId).toBe(5);
    expect(saved.accounts.map((account) => [account.userId, account.realmName])).toEqual([
      [5, 'Renamed'],
      [7, 'Renamed'],
    ]);
  });

  it('replaces another user id of the same email, which hands on the default', () => {
    const recreated = stored(9, 'Othello@zulip.com');
    const { realm: saved, replaced } = withAccount(realm, recreated);
    expect(replaced).toBe(othello);
    expect(saved).toEqual({ realmUrl: REALM, defaultUserId: 9, accounts: [iago, recreated] });
  });
});

describe('withoutAccount', () => {
  it('hands the default on to the next account in list order', () => {
    expect(withoutAccount(realm, othello)).toEqual({ realmUrl: REALM, defaultUserId: 5, accounts: [iago] });
    expect(withoutAccount(realm, iago)).toEqual({ realmUrl: REALM, defaultUserId: 7, accounts: [othello] });
  });
});

describe('claimDue', () => {
  it('claims accounts never checked, checked an interval ago or more, or in the future', () => {
    const accounts = [stored(1, 'a@x', { checkedAt: 50 }), stored(2, 'b@x', { checkedAt: 40 }), stored(3, 'c@x', { checkedAt: 200 }), stored(4, 'd@x')];
    const { due, writes } = claimDue([{ realmUrl: REALM, defaultUserId: 1, accounts }], 100, 60);
    expect(due.map(({ userId }) => userId)).toEqual([2, 3, 4]);
    expect(Object.keys(writes)).toEqual([accountStorageKey(REALM)]);
    expect(writes[accountStorageKey(REALM)]?.accounts.map(({ checkedAt }) => checkedAt)).toEqual([50, 100, 100, 100]);
  });

  it('claims nothing in a realm with nothing due', () => {
    expect(claimDue([{ realmUrl: REALM, defaultUserId: 5, accounts: [stored(5, 'a@x', { checkedAt: 90 })] }], 100, 60)).toEqual({ due: [], writes: {} });
  });
});
