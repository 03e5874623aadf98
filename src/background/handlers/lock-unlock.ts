// The unlock form: the passphrase opens the keys until the lock's idle time passes.
import type { Handler } from './handler';
import { afterVerdict } from './lock-reply';

export const unlock: Handler<'lock.unlock'> = async (request, _sender, deps) => afterVerdict(await deps.lock.unlock(request.passphrase), deps);
