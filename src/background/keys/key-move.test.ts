// Finishing a move between sealing keys, on records in memory.
import { describe, expect, it } from 'vitest';
import { createKeyMove } from './key-move';
import type { Migration, VaultRecords } from './sealing-key';

function move(migration: Migration | undefined, unlocked: boolean) {
  const calls: string[] = [];
  const records: Partial<VaultRecords> = migration ? { migration } : {};
  const finish = createKeyMove(
    async () => records,
    async (_put, remove = []) => void calls.push(`remove ${remove.join(' ')}`),
    async () => (unlocked ? new Uint8Array(32) : null),
    async () => void calls.push('reseal'),
    async () => void calls.push('forget'),
  );
  return { finish, calls };
}

describe('createKeyMove', () => {
  it('re-seals, then removes the old key and the marker, for a move to the passphrase', async () => {
    const { finish, calls } = move('to-passphrase', true);
    await finish();
    expect(calls).toEqual(['reseal', 'remove sealing-key migration']);
  });

  it('closes the lock once a move to no passphrase is done', async () => {
    const { finish, calls } = move('to-plain', true);
    await finish();
    expect(calls).toEqual(['reseal', 'remove wrapped-key migration unlock-failures', 'forget']);
  });

  it('does nothing without a move under way, or while locked', async () => {
    for (const [migration, unlocked] of [[undefined, true], ['to-passphrase', false]] as const) {
      const { finish, calls } = move(migration, unlocked);
      await finish();
      expect(calls).toEqual([]);
    }
  });

  it('runs one move at a time, and again once it has ended', async () => {
    const { finish, calls } = move('to-passphrase', true);
    await Promise.all([finish(), finish()]);
    expect(calls.filter((call) => call === 'reseal')).toHaveLength(1);
    await finish();
    expect(calls.filter((call) => call === 'reseal')).toHaveLength(2);
  });
});
