// The opt-in passphrase lock. Without it, API keys are sealed under a non-extractable key kept in
// IndexedDB, which anyone who can read the profile's files can use. With it, they are sealed under
// another key (K) that is on disk only wrapped with the passphrase (passphrase-key.ts); unlocked,
// K's bytes live only in storage.session, which the browser keeps in memory and empties when it
// closes. Locked means K is not in storage.session: nothing can be opened or sealed.
//
// Turning the lock on or off moves every account to another sealing key, in steps that a stopped
// background resumes (key-move.ts): it can never stay half-moved.
// Changing the passphrase only wraps K again: one write, nothing re-sealed.
//
// Idle: the lock closes `idleMinutes` after K was last used (a key opened or sealed) or unlocked.
// An alarm does it on time; every use also checks the deadline, because browsers may run alarms
// late (Chrome runs them at most every 30 s, and not while the computer sleeps).
//
// Wrong passphrases wait longer and longer after 5 in a row (passphrase-attempts.ts).
import type { LockStatus } from '../../shared/reply-values';
import type { StorageAreaLike } from '../../shared/storage-area';
import type { AlarmsLike } from '../ports';
import { fromBase64, toBase64, type SealingKeys } from './key-sealer';
import { generateWrappableKeyBytes, importKeyBytes, wrapKeyBytes, type WrappedKey } from './passphrase-key';
import type { KeyVault } from './sealing-key';
import { createSerialQueue } from '../serial-queue';
import { createCachedVault } from './cached-vault';
import { verifyPassphrase, type Verdict } from './passphrase-attempts';
import { createKeyMove } from './key-move';

export const DEFAULT_IDLE_MINUTES = 15;
export const IDLE_LOCK_ALARM = 'passphrase-idle-lock';
/** storage.session: K's bytes (base64) while unlocked, and when it locks (epoch ms). */
export const UNLOCKED_KEY = 'passphraseLock:key';
export const LOCK_DEADLINE = 'passphraseLock:deadline';

/** Thrown when something needs the API keys while they are locked; the router answers LOCKED. */
export class LockedError extends Error {
  override name = 'LockedError';
}


export interface PassphraseLockDeps {
  vault: KeyVault;
  session: StorageAreaLike;
  alarms: AlarmsLike;
  now(): number;
  /** Re-seals every account's key with the sealer's current key (accounts.resealAll). */
  reseal(): Promise<void>;
}

export function createPassphraseLock(deps: PassphraseLockDeps) {
  const { vault, session, now } = deps;
  const queue = createSerialQueue();
  const { read, write } = createCachedVault(vault);
  const finishMigration = createKeyMove(read, write, unlockedBytes, () => deps.reseal(), forget);
  const verify = (wrapped: WrappedKey, passphrase: string) => verifyPassphrase(read, write, wrapped, passphrase, now);

  /** K's bytes if unlocked and not past the idle deadline; past it, locks first. */
  async function unlockedBytes(): Promise<Uint8Array<ArrayBuffer> | null> {
    const stored = await session.get([UNLOCKED_KEY, LOCK_DEADLINE]);
    const key = stored[UNLOCKED_KEY];
    const deadline = stored[LOCK_DEADLINE];
    if (typeof key !== 'string') return null;
    if (typeof deadline !== 'number' || deadline <= now()) {
      await forget();
      return null;
    }
    return fromBase64(key);
  }

  async function forget(): Promise<void> {
    await session.remove([UNLOCKED_KEY, LOCK_DEADLINE]);
    await deps.alarms.clear(IDLE_LOCK_ALARM);
  }

  async function keep(raw: Uint8Array<ArrayBuffer>, idleMinutes: number): Promise<void> {
    await session.set({ [UNLOCKED_KEY]: toBase64(raw), [LOCK_DEADLINE]: now() + idleMinutes * 60_000 });
    await deps.alarms.create(IDLE_LOCK_ALARM, { when: now() + idleMinutes * 60_000 });
  }

  /** Pushes the idle deadline on: K was just used. */
  async function touch(idleMinutes: number): Promise<void> {
    const deadline = now() + idleMinutes * 60_000;
    await session.set({ [LOCK_DEADLINE]: deadline });
    await deps.alarms.create(IDLE_LOCK_ALARM, { when: deadline });
  }

  async function sealingKeys(): Promise<SealingKeys> {
    const records = await read();
    const plain = records['sealing-key'];
    const wrapped = records['wrapped-key'];
    if (!wrapped) {
      if (!plain) throw new Error('No sealing key');
      return { seal: plain, open: [plain] };
    }
    const raw = await unlockedBytes();
    if (raw === null) throw new LockedError('The keys are locked');
    const unlocked = await importKeyBytes(raw);
    await touch(wrapped.idleMinutes);
    if (!plain) return { seal: unlocked, open: [unlocked] };
    // Mid-migration: new seals use the target, old ones open with either.
    return records.migration === 'to-plain' ? { seal: plain, open: [plain, unlocked] } : { seal: unlocked, open: [unlocked, plain] };
  }

  async function status(): Promise<LockStatus> {
    const records = await read();
    const wrapped = records['wrapped-key'];
    const retryAt = records['unlock-failures']?.retryAt ?? 0;
    return {
      enabled: wrapped !== undefined,
      locked: wrapped !== undefined && (await unlockedBytes()) === null,
      idleMinutes: wrapped?.idleMinutes ?? DEFAULT_IDLE_MINUTES,
      retryAt: retryAt > now() ? retryAt : null,
    };
  }

  return {
    sealingKeys,
    status: () => queue(status),

    async isLocked(): Promise<boolean> {
      return (await status()).locked;
    },

    /** Turns the lock on, unlocked. False if it is on already. */
    enable(passphrase: string, idleMinutes: number): Promise<boolean> {
      return queue(async () => {
        const records = await read();
        if (records['wrapped-key']) return false;
        const raw = await generateWrappableKeyBytes();
        const wrapped = await wrapKeyBytes(raw, passphrase, idleMinutes);
        await keep(raw, idleMinutes);
        await write({ 'wrapped-key': wrapped, migration: 'to-passphrase' }, ['unlock-failures']);
        await finishMigration();
        return true;
      });
    },

    unlock(passphrase: string): Promise<Verdict | null> {
      return queue(async () => {
        const wrapped = (await read())['wrapped-key'];
        if (!wrapped) return null;
        const { raw, ...verdict } = await verify(wrapped, passphrase);
        if (!raw) return verdict;
        await keep(raw, wrapped.idleMinutes);
        await finishMigration();
        return verdict;
      });
    },

    lockNow: () => queue(forget),

    /** Wraps K with the new passphrase; the lock stays as open or closed as it was. */
    change(current: string, next: string): Promise<Verdict | null> {
      return queue(async () => {
        const wrapped = (await read())['wrapped-key'];
        if (!wrapped) return null;
        const { raw, ...verdict } = await verify(wrapped, current);
        if (!raw) return verdict;
        await write({ 'wrapped-key': await wrapKeyBytes(raw, next, wrapped.idleMinutes) });
        return verdict;
      });
    },

    /** Turns the lock off: the accounts go back to a non-extractable key. */
    disable(passphrase: string): Promise<Verdict | null> {
      return queue(async () => {
        const records = await read();
        const wrapped = records['wrapped-key'];
        if (!wrapped) return null;
        const { raw, ...verdict } = await verify(wrapped, passphrase);
        if (!raw) return verdict;
        await keep(raw, wrapped.idleMinutes);
        // An unfinished move to the passphrase still has its old key: it is the target again.
        const plain = records['sealing-key'] ?? (await vault.generatePlainKey());
        await write({ 'sealing-key': plain, migration: 'to-plain' });
        await finishMigration();
        return verdict;
      });
    },

    setIdle(idleMinutes: number): Promise<boolean> {
      return queue(async () => {
        const wrapped = (await read())['wrapped-key'];
        if (!wrapped) return false;
        await write({ 'wrapped-key': { ...wrapped, idleMinutes } });
        if ((await unlockedBytes()) !== null) await touch(idleMinutes);
        return true;
      });
    },

    /** The idle alarm rang: lock if the deadline has passed (a use since may have moved it on). */
    idleAlarm: () => queue(async () => void (await unlockedBytes())),

    /** At background start: finishes a move a stopped background left, if K is at hand. */
    resume: () => queue(finishMigration),
  };
}
export type PassphraseLock = ReturnType<typeof createPassphraseLock>;
