// How long the keys stay unlocked without being used.
import type { Handler } from './handler';
import { lockIsOff, lockStatusReply } from './lock-reply';

export const setLockIdle: Handler<'lock.setIdle'> = async (request, _sender, deps) =>
  (await deps.lock.setIdle(request.idleMinutes)) ? lockStatusReply(deps) : lockIsOff(deps);
