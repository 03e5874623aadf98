// Bitwarden's rule: check the sender, validate the message, fail closed. The router never throws
// at its caller: every path ends in a reply.
import { requestSchema, type Reply, type Request, type RequestType } from '../shared/messages';
import { failure, type BackgroundDeps } from './handlers/handler';
import { routes } from './routes';
import { classifySender, type MessageSenderLike, type SenderKind } from './sender';

export interface ExtensionIdentity {
  id: string;
  /** runtime.getURL(''). */
  baseUrl: string;
}

export function createMessageRouter(deps: BackgroundDeps, identity: ExtensionIdentity) {
  return async function route(message: unknown, rawSender: MessageSenderLike): Promise<Reply<RequestType>> {
    const sender = classifySender(rawSender, identity.id, identity.baseUrl);
    if (sender.kind === 'foreign') return failure('FORBIDDEN', deps.t('error_forbidden'));
    const parsed = requestSchema.safeParse(message);
    if (!parsed.success) return failure('INVALID_REQUEST', deps.t('error_invalid_request'));
    const request: Request = parsed.data;
    const handler = routes[request.type] as {
      contentScriptsAllowed: boolean;
      handle: (request: Request, sender: SenderKind, deps: BackgroundDeps) => Promise<Reply<RequestType>>;
    };
    if (sender.kind === 'content-script' && !handler.contentScriptsAllowed) {
      return failure('FORBIDDEN', deps.t('error_forbidden'));
    }
    try {
      return await handler.handle(request, sender, deps);
    } catch (error) {
      // The name only: an error's message could quote a server's answer or a stored value.
      console.error(`Keyring for Zulip: ${request.type} failed (${error instanceof Error ? error.name : typeof error})`);
      return failure('INTERNAL', deps.t('error_internal'));
    } finally {
      // Passwords leave memory with the request: drop the last reference we hold.
      if (request.type === 'account.signIn') request.password = '';
    }
  };
}
