// Lock now: the unlocked key leaves storage.session.
import type { Handler } from './handler';
import { lockIsOff, lockStatusReply } from './lock-reply';

export const lockNow: Handler<'lock.lockNow'> = async (_request, _sender, deps) => {
  if (!(await deps.lock.status()).enabled) return lockIsOff(deps);
  await deps.lock.lockNow();
  return lockStatusReply(deps);
};
