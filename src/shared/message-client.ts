// The one way to talk to the background, for the popup and content scripts alike.
import browser from 'webextension-polyfill';
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
    return { ok: false, error: { code: 'INTERNAL', message: browser.i18n.getMessage('error_background_unreachable') } };
  };
}

export const send = createMessageClient((message) => browser.runtime.sendMessage(message));
