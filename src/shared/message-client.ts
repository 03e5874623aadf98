// The one way to talk to the background, for the popup and content scripts alike.
import { extensionApi } from './extension-api';
import type { Reply, RequestOf, RequestType } from './messages';

export type SendMessage = (message: unknown) => Promise<unknown>;

export function createMessageClient(sendMessage: SendMessage) {
  return async function send<T extends RequestType>(request: RequestOf<T>): Promise<Reply<T>> {
    try {
      const reply = await sendMessage(request);
      if (typeof reply === 'object' && reply !== null && 'ok' in reply) return reply as Reply<T>;
    } catch {
      // The worker may be restarting; the caller gets a plain error below and may try again.
    }
    return { ok: false, error: { code: 'INTERNAL', message: extensionApi().i18n.getMessage('error_background_unreachable') } };
  };
}

export type Send = ReturnType<typeof createMessageClient>;

export const send: Send = createMessageClient((message) => extensionApi().runtime.sendMessage(message));
