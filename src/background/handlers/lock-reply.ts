// What the passphrase lock's handlers share: the status they all answer with, and what a refused
// passphrase or a lock in the wrong state says.
import type { Reply } from '../../shared/messages';
import type { ErrorInfo } from '../../shared/error-info';
import type { Verdict } from '../keys/passphrase-attempts';
import { failure, type BackgroundDeps, type Failure } from './handler';

type LockReply = Reply<'lock.status'>;

export async function lockStatusReply(deps: BackgroundDeps): Promise<LockReply> {
  return { ok: true, lock: await deps.lock.status() };
}

export function passphraseRefused(verdict: Exclude<Verdict, { ok: true }>, deps: BackgroundDeps): { ok: false; error: ErrorInfo } {
  if (verdict.code === 'WRONG_PASSPHRASE') return failure('WRONG_PASSPHRASE', deps.t('error_wrong_passphrase'));
  const seconds = Math.max(1, Math.ceil((verdict.retryAt - deps.now()) / 1000));
  const message =
    seconds < 120 ? deps.t('error_passphrase_throttled_seconds', [String(seconds)]) : deps.t('error_passphrase_throttled_minutes', [String(Math.ceil(seconds / 60))]);
  return { ok: false, error: { code: 'PASSPHRASE_THROTTLED', message, retryAt: verdict.retryAt } };
}

/** The reply to a passphrase check: the status when it was right. null: no passphrase is set. */
export async function afterVerdict(verdict: Verdict | null, deps: BackgroundDeps): Promise<LockReply> {
  if (verdict === null) return lockIsOff(deps);
  return verdict.ok ? lockStatusReply(deps) : passphraseRefused(verdict, deps);
}

export function lockIsOff(deps: BackgroundDeps): Failure {
  return failure('LOCK_STATE', deps.t('error_lock_off'));
}
