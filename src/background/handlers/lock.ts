// The passphrase lock's requests (popup settings and the unlock form). Each answers with the lock's
// status, or says why a passphrase was refused or the lock was in the wrong state for the request.
import type { ErrorInfo } from '../../shared/error-info';
import type { Reply } from '../../shared/messages';
import type { BackgroundDeps } from '../deps';
import { failure, type Failure } from '../failures/reply';
import type { Verdict } from '../keys/passphrase-attempts';
import type { Handler } from './handler';

type LockReply = Reply<'lock.status'>;

async function lockStatusReply(deps: BackgroundDeps): Promise<LockReply> {
  return { ok: true, lock: await deps.lock.status() };
}

function passphraseRefused(verdict: Exclude<Verdict, { ok: true }>, deps: BackgroundDeps): { ok: false; error: ErrorInfo } {
  if (verdict.code === 'WRONG_PASSPHRASE') return failure('WRONG_PASSPHRASE', deps.t('error_wrong_passphrase'));
  const seconds = Math.max(1, Math.ceil((verdict.retryAt - deps.now()) / 1000));
  const message =
    seconds < 120 ? deps.t('error_passphrase_throttled_seconds', [String(seconds)]) : deps.t('error_passphrase_throttled_minutes', [String(Math.ceil(seconds / 60))]);
  return { ok: false, error: { code: 'PASSPHRASE_THROTTLED', message, retryAt: verdict.retryAt } };
}

/** The reply to a passphrase check: the status when it was right. null: no passphrase is set. */
async function afterVerdict(verdict: Verdict | null, deps: BackgroundDeps): Promise<LockReply> {
  if (verdict === null) return lockIsOff(deps);
  return verdict.ok ? lockStatusReply(deps) : passphraseRefused(verdict, deps);
}

function lockIsOff(deps: BackgroundDeps): Failure {
  return failure('LOCK_STATE', deps.t('error_lock_off'));
}

/** Whether a passphrase is set and whether the keys are locked (the popup asks as it opens). */
export const lockStatus: Handler<'lock.status'> = (_request, _sender, deps) => lockStatusReply(deps);

/** Require a passphrase: wraps the sealing key with it and moves every account to that key. */
export const enableLock: Handler<'lock.enable'> = async (request, _sender, deps) => {
  if (!(await deps.lock.enable(request.passphrase, request.idleMinutes))) return failure('LOCK_STATE', deps.t('error_lock_already_on'));
  return lockStatusReply(deps);
};

/** The unlock form: the passphrase opens the keys until the lock's idle time passes. */
export const unlock: Handler<'lock.unlock'> = async (request, _sender, deps) => afterVerdict(await deps.lock.unlock(request.passphrase), deps);

/** Lock now: the unlocked key leaves storage.session. */
export const lockNow: Handler<'lock.lockNow'> = async (_request, _sender, deps) => {
  if (!(await deps.lock.status()).enabled) return lockIsOff(deps);
  await deps.lock.lockNow();
  return lockStatusReply(deps);
};

/** Change passphrase: the current one must be right; the sealing key is wrapped again with the next. */
export const changePassphrase: Handler<'lock.change'> = async (request, _sender, deps) =>
  afterVerdict(await deps.lock.change(request.current, request.next), deps);

/** Remove passphrase: the accounts go back to a sealing key that needs none. */
export const disableLock: Handler<'lock.disable'> = async (request, _sender, deps) => afterVerdict(await deps.lock.disable(request.passphrase), deps);

/** How long the keys stay unlocked without being used. */
export const setLockIdle: Handler<'lock.setIdle'> = async (request, _sender, deps) =>
  (await deps.lock.setIdle(request.idleMinutes)) ? lockStatusReply(deps) : lockIsOff(deps);
