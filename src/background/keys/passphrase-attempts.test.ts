// Checking a passphrase and counting the wrong ones, on records in memory.
import { describe, expect, it } from 'vitest';
import { FREE_ATTEMPTS, unlockDelayMs, verifyPassphrase } from './passphrase-attempts';
import { generateWrappableKeyBytes, wrapKeyBytes } from './passphrase-key';
import type { VaultRecords } from './sealing-key';

const PASSPHRASE = 'correct horse battery';
const NOW = 1_000_000;

async function vaultWith(failures?: VaultRecords['unlock-failures']) {
  const raw = await generateWrappableKeyBytes();
  const records: Partial<VaultRecords> = { 'wrapped-key': await wrapKeyBytes(raw, PASSPHRASE, 15), ...(failures ? { 'unlock-failures': failures } : {}) };
  const read = async () => records;
  const write = async (put: Partial<VaultRecords>, remove: Array<keyof VaultRecords> = []) => {
    Object.assign(records, put);
    for (const name of remove) delete records[name];
  };
  const verify = (passphrase: string) => verifyPassphrase(read, write, records['wrapped-key']!, passphrase, () => NOW);
  return { raw, records, verify };
}

describe('verifyPassphrase', () => {
  it("gives K's bytes for the right passphrase and forgets earlier failures", async () => {
    const { raw, records, verify } = await vaultWith({ count: 2, retryAt: 0 });
    expect(await verify(PASSPHRASE)).toEqual({ ok: true, raw });
    expect(records['unlock-failures']).toBeUndefined();
  });

  it('counts wrong passphrases, and makes the next attempt wait once the free ones are used up', async () => {
    const { records, verify } = await vaultWith({ count: FREE_ATTEMPTS - 2, retryAt: 0 });
    expect(await verify('wrong passphrase')).toEqual({ ok: false, code: 'WRONG_PASSPHRASE' });
    expect(records['unlock-failures']).toEqual({ count: FREE_ATTEMPTS - 1, retryAt: 0 });
    const retryAt = NOW + unlockDelayMs(FREE_ATTEMPTS);
    expect(await verify('wrong again')).toEqual({ ok: false, code: 'PASSPHRASE_THROTTLED', retryAt });
    expect(records['unlock-failures']).toEqual({ count: FREE_ATTEMPTS, retryAt });
  });

  it('refuses even the right passphrase while an attempt must wait, without counting it', async () => {
    const failures = { count: FREE_ATTEMPTS, retryAt: NOW + 1 };
    const { records, verify } = await vaultWith(failures);
    expect(await verify(PASSPHRASE)).toEqual({ ok: false, code: 'PASSPHRASE_THROTTLED', retryAt: NOW + 1 });
    expect(records['unlock-failures']).toEqual(failures);
  });
});
