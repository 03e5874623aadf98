// What every request handler is: it receives a request the router has already validated and a
// sender it has already classified; throwing is left to the router to catch.
import type { Reply, RequestOf, RequestType } from '../../shared/messages';
import type { BackgroundDeps } from '../deps';
import type { SenderKind } from '../messaging/sender';

export type Handler<T extends RequestType> = (request: RequestOf<T>, sender: SenderKind, deps: BackgroundDeps) => Promise<Reply<T>>;
