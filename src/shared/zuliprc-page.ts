// The extension page that saves an account's zuliprc, and how the popup names the account to it.
// The URL carries the realm and the user id, never the key: the page asks the background for the file.

export const ZULIPRC_PAGE = 'src/export/zuliprc.html';

export interface ZuliprcTarget {
  realmUrl: string;
  userId: number;
}

/** The page's path with its query, for runtime.getURL. */
export function zuliprcPagePath({ realmUrl, userId }: ZuliprcTarget): string {
  return `${ZULIPRC_PAGE}?${new URLSearchParams({ realm: realmUrl, user: String(userId) }).toString()}`;
}

/** The account a page's query names, or null when it names none. */
export function zuliprcPageTarget(search: string): ZuliprcTarget | null {
  const query = new URLSearchParams(search);
  const realmUrl = query.get('realm');
  const user = query.get('user');
  if (realmUrl === null || realmUrl === '' || user === null || !/^\d{1,15}$/.test(user)) return null;
  return { realmUrl, userId: Number(user) };
}
