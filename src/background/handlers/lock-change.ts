// Change passphrase: the current one must be right; the sealing key is wrapped again with the next.
import type { Handler } from './handler';
import { afterVerdict } from './lock-reply';

export const changePassphrase: Handler<'lock.change'> = async (request, _sender, deps) =>
  afterVerdict(await deps.lock.change(request.current, request.next), deps);
