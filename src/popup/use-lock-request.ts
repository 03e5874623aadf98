// The settings' requests to the passphrase lock, one at a time; a refusal's message is the alert.
import { useId } from 'preact/hooks';
import type { LockStatus } from '../shared/reply-values';
import type { Reply } from '../shared/messages';
import { t, type MessageKey } from '../shared/i18n';
import { useRequest } from './use-request';

export function useLockRequest() {
  const errorId = useId();
  const { busy, error, setError, run } = useRequest();
  const request = (send: () => Promise<Reply<'lock.status'>>, done: (status: LockStatus) => void) =>
    run(send, (reply) => (reply.ok ? done(reply.lock) : setError(reply.error.message)));
  /** A form's submit: sends unless `problem` (a new passphrase's, found before anything is sent) says why not. */
  const submit = (event: Event, send: () => Promise<Reply<'lock.status'>>, done: (status: LockStatus) => void, problem: MessageKey | null = null) => {
    event.preventDefault();
    if (problem) setError(t(problem));
    else request(send, done);
  };
  return { busy, error, errorId, describedBy: error ? errorId : undefined, request, submit };
}
