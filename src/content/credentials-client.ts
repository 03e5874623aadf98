// The content-script side of the protocol: what code running on a realm's pages calls.
import type { Reply } from '../shared/messages';
import { send } from '../shared/message-client';

/** Which of the realm's accounts: by email or by Zulip user id. */
export type AccountChoice = { email: string } | { userId: number };

/**
 * Credentials for `realm`, or for the realm this page belongs to when omitted; of the account
 * `account` names, or of the realm's default account when it names none.
 */
export function getCredentials(realm?: string, account?: AccountChoice): Promise<Reply<'credentials.get'>> {
  // Only these two fields are passed on, as given: the background refuses both at once, or either of the wrong type.
  const { email, userId } = (account ?? {}) as { email?: string; userId?: number };
  return send<'credentials.get'>({
    type: 'credentials.get',
    ...(realm === undefined ? {} : { realm }),
    ...(email === undefined ? {} : { email }),
    ...(userId === undefined ? {} : { userId }),
  });
}
