// The key vault (sealing-key.ts) read once and kept: the passphrase lock makes every change to the
// vault through write() here, so a copy read once stays true until then.
import type { KeyVault, VaultRecords } from './sealing-key';

export function createCachedVault(vault: KeyVault) {
  let cached: Promise<Partial<VaultRecords>> | null = null;
  return {
    read: () =>
      (cached ??= vault.readOrCreate().catch((error: unknown) => {
        cached = null;
        throw error;
      })),
    async write(...args: Parameters<KeyVault['write']>): Promise<void> {
      cached = null;
      try {
        await vault.write(...args);
      } finally {
        // A read during the write may have cached what was there before.
        cached = null;
      }
    },
  };
}
export type CachedVault = ReturnType<typeof createCachedVault>;
