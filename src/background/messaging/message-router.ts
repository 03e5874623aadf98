// Bitwarden's rule: check the sender, validate the message, fail closed. The router never throws
// at its caller: every path ends in a reply.
import type { Reply, Request, RequestType } from '../../shared/messages';
import { parseRequest } from '../../shared/parse-request';
import type { BackgroundDeps } from '../deps';
import { failure } from '../failures/reply';
import { LockedError } from '../keys/passphrase-lock';
import { logFailure } from '../log-failure';
import { createRateLimiter } from './rate-limit';
import { routes } from './routes';
import type { SenderKind } from '../handlers/handler';
import { classifySender, type MessageSenderLike } from './sender';

export interface ExtensionIdentity {
  id: string;
  /** runtime.getURL(''). */
  baseUrl: string;
}

/**
 * Requests a content script may make per tab in any minute (a sliding window). The count lives in
 * the background's memory and starts afresh when the background restarts. Browsers stop an idle
 * background only after 30 s without any event, and every message is one, so a tab that keeps
 * asking keeps its count alive; one that waits 30 s for a restart (while nothing else wakes the
 * background) gets at most twice the limit in a minute.
 */
export const CONTENT_SCRIPT_REQUESTS_PER_MINUTE = 60;

/** A route as the router uses it, whatever its request type. */
interface AnyRoute {
  contentScriptsAllowed: boolean;
  handle: (request: Request, sender: SenderKind, deps: BackgroundDeps) => Promise<Reply<RequestType>>;
  secrets?: readonly string[];
}

export function createMessageRouter(deps: BackgroundDeps, identity: ExtensionIdentity) {
  const perTab = createRateLimiter<number>({ limit: CONTENT_SCRIPT_REQUESTS_PER_MINUTE, windowMs: 60_000, now: deps.now });

  return async function route(message: unknown, rawSender: MessageSenderLike): Promise<Reply<RequestType>> {
    let request: Request | undefined;
    let handler: AnyRoute | undefined;
    try {
      const sender = classifySender(rawSender, identity.id, identity.baseUrl);
      if (sender.kind === 'foreign') return failure('FORBIDDEN', deps.t('error_forbidden'));
      const parsed = parseRequest(message);
      if (parsed === null) return failure('INVALID_REQUEST', deps.t('error_invalid_request'));
      request = parsed;
      handler = routes[request.type] as AnyRoute;
      if (sender.kind === 'content-script') {
        if (!handler.contentScriptsAllowed) return failure('FORBIDDEN', deps.t('error_forbidden'));
        // Before the handler reads anything: a flood costs the background no storage or crypto work.
        const retryAt = perTab.take(sender.tabId);
        if (retryAt !== null) {
          const seconds = String(Math.max(1, Math.ceil((retryAt - deps.now()) / 1000)));
          return { ok: false, error: { code: 'RATE_LIMITED', message: deps.t('error_content_script_rate_limited', [String(CONTENT_SCRIPT_REQUESTS_PER_MINUTE), seconds]), retryAt } };
        }
      }
      return await handler.handle(request, sender, deps);
    } catch (error) {
      // Whatever needed the keys while they were locked (a sign-in stored, a key sealed).
      if (error instanceof LockedError) return failure('LOCKED', deps.t('error_locked'));
      logFailure(`${request?.type ?? 'a message'} failed`, error);
      return failure('INTERNAL', deps.t('error_internal'));
    } finally {
      // Passwords, pasted keys and passphrases leave memory with the request: drop the last reference we hold.
      for (const field of handler?.secrets ?? []) (request as Record<string, unknown>)[field] = '';
    }
  };
}
