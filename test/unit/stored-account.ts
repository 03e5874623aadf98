// An account record as the account store writes one (schema 3), for the tests of the modules that
// read, change and re-seal them without a store.
import type { StoredAccount } from '../../src/background/accounts/stored-realm';

export const STORED_REALM = 'https://a.example.com';

export function storedAccount(userId: number, email: string, overrides: Partial<StoredAccount> = {}): StoredAccount {
  return {
    realmUrl: STORED_REALM,
    realmName: 'Org A',
    realmIconUrl: null,
    email,
    userId,
    zulipVersion: '10.0',
    featureLevel: 371,
    addedAt: 1_000,
    sealedApiKey: { iv: `iv-${userId}`, data: 'sealed' },
    credentialStatus: 'valid',
    checkedAt: null,
    ...overrides,
  };
}
