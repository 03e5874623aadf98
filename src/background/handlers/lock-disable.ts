// Remove passphrase: the accounts go back to a sealing key that needs none.
import type { Handler } from './handler';
import { afterVerdict } from './lock-reply';

export const disableLock: Handler<'lock.disable'> = async (request, _sender, deps) => afterVerdict(await deps.lock.disable(request.passphrase), deps);
