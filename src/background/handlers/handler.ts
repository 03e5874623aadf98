// What every request handler is: it receives a request the router has already validated and a
// sender it has already classified; throwing is left to the router to catch. The sender's kinds
// are declared here, where handlers read them, so that handlers never import the router's folder.
import type { Reply, RequestOf, RequestType } from '../../shared/messages';
import type { BackgroundDeps } from '../deps';

export type SenderKind =
  | { kind: 'extension-page' }
  | { kind: 'content-script'; origin: string; topFrame: boolean; tabId: number }
  | { kind: 'foreign' };

export type Handler<T extends RequestType> = (request: RequestOf<T>, sender: SenderKind, deps: BackgroundDeps) => Promise<Reply<T>>;
