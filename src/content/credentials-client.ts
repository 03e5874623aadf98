// The content-script side of the protocol: what code running on a realm's pages calls.
import type { Reply } from '../shared/messages';
import { send } from '../shared/message-client';

/** Credentials for `realm`, or for the realm this page belongs to when omitted. */
export function getCredentials(realm?: string): Promise<Reply<'credentials.get'>> {
  return send<'credentials.get'>(realm === undefined ? { type: 'credentials.get' } : { type: 'credentials.get', realm });
}
