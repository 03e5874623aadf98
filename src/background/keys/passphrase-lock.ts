// The opt-in passphrase lock. Without it, API keys are sealed under a non-extractable key kept in
// IndexedDB, which anyone who can read the profile's files can use. With it, they are sealed under
// another key (K) that is on disk only wrapped with the passphrase (passphrase-key.ts); unlocked,
// K's bytes live only in storage.session, which the browser keeps in memory and empties when it
// closes. Locked means K is not in storage.session: nothing can be opened or sealed.
//
// Turning the lock on or off moves every account to another sealing key. A non-extractable key
// cannot be wrapped, so turning it on generates K (extractable) and re-seals each account's key;
// turning it off generates a new non-extractable key and re-seals again. The move is resumable:
//   1. the target key and a 'migration' marker are written beside the old key (one IndexedDB
//      transaction), K's bytes put in storage.session first;
//   2. each account is re-sealed, one storage.local write per account (accounts.resealAll);
//      meanwhile every key opens with either sealing key and new seals use the target;
//   3. the old key and the marker are removed (one transaction).
// A background stopped anywhere in between finds the marker when it starts (or on the next unlock,
// if the browser closed and K left memory) and finishes the move: re-sealing is idempotent, so
// running step 2 again is harmless. It can never stay half-moved.
// Changing the passphrase only wraps K again: one write, nothing re-sealed.
//
// Idle: the lock closes `idleMinutes` after K was last used (a key opened or sealed) or unlocked.
// An alarm does it on time; every use also checks the deadline, because browsers may run alarms
// late (Chrome runs them at most every 30 s, and not while the computer sleeps).
//
// Wrong passphrases: after 5 in a row each attempt waits longer (30 s, doubling, at most an hour).
// The count is kept in IndexedDB, which neither a restarted background nor a restarted browser
// forgets, nor a content script can reach.
import type { LockStatus } from '../../shared/reply-values';
import type { StorageAreaLike } from '../accounts/account-store';
import { fromBase64, toBase64, type SealingKeys } from './key-sealer';
import { generateWrappableKeyBytes, importKeyBytes, unwrapKeyBytes, wrapKeyBytes } from './passphrase-key';
import type { KeyVault, VaultRecords } from './sealing-key';
import { createSerialQueue } from '../serial-queue';

export const DEFAULT_IDLE_MINUTES = 15;
export const IDLE_LOCK_ALARM = 'passphrase-idle-lock';
/** storage.session: K's bytes (base64) while unlocked, and when it locks (epoch ms). */
export const UNLOCKED_KEY = 'passphraseLock:key';
export const LOCK_DEADLINE = 'passphraseLock:deadline';
export const FREE_ATTEMPTS = 5;

/** Thrown when something needs the API keys while they are locked; the router answers LOCKED. */
export class LockedError extends Error {
  override name = 'LockedError';
}

export type Verdict = { ok: true } | { ok: false; code: 'WRONG_PASSPHRASE' } | { ok: false; code: 'PASSPHRASE_THROTTLED'; retryAt: number };

export interface LockAlarms {
  create(name: string, info: { when: number }): Promise<void> | void;
  clear(name: string): Promise<unknown>;
}

export interface PassphraseLockDeps {
  vault: KeyVault;
  session: StorageAreaLike;
  alarms: LockAlarms;
  now(): number;
  /** Re-seals every account's key with the sealer's current key (accounts.resealAll). */
  reseal(): Promise<void>;
}

/** How long to wait after `failures` wrong passphrases in a row. */
export function unlockDelayMs(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(30_000 * 2 ** (failures - FREE_ATTEMPTS), 60 * 60_000);
}

export function createPassphraseLock(deps: PassphraseLockDeps) {
  const { vault, session, now } = deps;
  const queue = createSerialQueue();
  // Every change to the vault goes through write() below, so a copy read once stays true.
  let cached: Promise<Partial<VaultRecords>> | null = null;
  const read = () =>
    (cached ??= vault.readOrCreate().catch((error: unknown) => {
      cached = null;
      throw error;
    }));
  const write = async (...args: Parameters<KeyVault['write']>) => {
    cached = null;
    try {
      await vault.write(...args);
    } finally {
      // A read during the write may have cached what was there before.
      cached = null;
    }
  };
  // Keeps a migration's re-sealing from running twice at once (start-up and an unlock).
  let finishing: Promise<void> | null = null;

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

  /** Steps 2 and 3 of a move, if one is under way and K is at hand. */
  function finishMigration(): Promise<void> {
    finishing ??= (async () => {
      const records = await read();
      if (!records.migration || (await unlockedBytes()) === null) return;
      await deps.reseal();
      if (records.migration === 'to-passphrase') {
        await write({}, ['sealing-key', 'migration']);
      } else {
        await write({}, ['wrapped-key', 'migration', 'unlock-failures']);
        await forget();
      }
    })().finally(() => {
      finishing = null;
    });
    return finishing;
  }

  /** Checks a passphrase against the wrapped key, counting failures; K's bytes when right. */
  async function verify(wrapped: VaultRecords['wrapped-key'], passphrase: string): Promise<Verdict & { raw?: Uint8Array<ArrayBuffer> }> {
    const failures = (await read())['unlock-failures'] ?? { count: 0, retryAt: 0 };
    if (failures.retryAt > now()) return { ok: false, code: 'PASSPHRASE_THROTTLED', retryAt: failures.retryAt };
    const raw = await unwrapKeyBytes(wrapped, passphrase);
    if (raw === null) {
      const count = failures.count + 1;
      const delay = unlockDelayMs(count);
      await write({ 'unlock-failures': { count, retryAt: delay === 0 ? 0 : now() + delay } });
      return delay === 0 ? { ok: false, code: 'WRONG_PASSPHRASE' } : { ok: false, code: 'PASSPHRASE_THROTTLED', retryAt: now() + delay };
    }
    if (failures.count > 0) await write({}, ['unlock-failures']);
    return { ok: true, raw };
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
