// Whether a passphrase is set and whether the keys are locked (the popup asks as it opens).
import type { Handler } from './handler';
import { lockStatusReply } from './lock-reply';

export const lockStatus: Handler<'lock.status'> = (_request, _sender, deps) => lockStatusReply(deps);
