// Re-sealing a realm's keys, with sealing keys made for the test.
import { describe, expect, it } from 'vitest';
import { createKeySealer, type SealingKeys } from '../keys/key-sealer';
import { resealedRealm, sealBinding } from './account-keys';
import { STORED_REALM, storedAccount } from '../../../test/unit/stored-account';
import type { StoredAccount, StoredRealm } from './stored-realm';

const REALM = STORED_REALM;
const account = (userId: number, sealedApiKey: StoredAccount['sealedApiKey']) => storedAccount(userId, `user${userId}@zulip.com`, { sealedApiKey });
const aesKey = () => crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
const sealerOf = (keys: SealingKeys) => createKeySealer(async () => keys);

describe('resealedRealm', () => {
  it("seals every key again with the sealer's current key, each still bound to its account", async () => {
    const [before, after] = [await aesKey(), await aesKey()];
    const old = sealerOf({ seal: before, open: [before] });
    const realm: StoredRealm = {
      realmUrl: REALM,
      defaultUserId: 5,
      accounts: [account(5, await old.seal('key-5', sealBinding(REALM, 5))), account(7, await old.seal('key-7', sealBinding(REALM, 7)))],
    };
    const moved = await resealedRealm(realm, sealerOf({ seal: after, open: [after, before] }));
    const onlyNew = sealerOf({ seal: after, open: [after] });
    expect(await onlyNew.open(moved.accounts[0]!.sealedApiKey, sealBinding(REALM, 5))).toBe('key-5');
    expect(await onlyNew.open(moved.accounts[1]!.sealedApiKey, sealBinding(REALM, 7))).toBe('key-7');
    expect(moved.defaultUserId).toBe(5);
  });

  it('leaves a key that no sealing key opens as it was, and stops at any other failure', async () => {
    const key = await aesKey();
    const sealer = sealerOf({ seal: key, open: [key] });
    // Sealed for user 7, copied into user 5's record.
    const copied = account(5, await sealer.seal('key-7', sealBinding(REALM, 7)));
    const realm: StoredRealm = { realmUrl: REALM, defaultUserId: 5, accounts: [copied] };
    expect((await resealedRealm(realm, sealer)).accounts).toEqual([copied]);
    const locked = createKeySealer(() => Promise.reject(new Error('locked')));
    await expect(resealedRealm(realm, locked)).rejects.toThrow('locked');
  });
});
