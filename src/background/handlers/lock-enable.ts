// Require a passphrase: wraps the sealing key with it and moves every account to that key.
import { failure, type Handler } from './handler';
import { lockStatusReply } from './lock-reply';

export const enableLock: Handler<'lock.enable'> = async (request, _sender, deps) => {
  if (!(await deps.lock.enable(request.passphrase, request.idleMinutes))) return failure('LOCK_STATE', deps.t('error_lock_already_on'));
  return lockStatusReply(deps);
};
