import { describe, expect, it } from 'vitest';
import { zuliprcPagePath, zuliprcPageTarget } from './zuliprc-page';

describe('the zuliprc page URL', () => {
  it('names the account by realm and user id, and reads back the same', () => {
    const path = zuliprcPagePath({ realmUrl: 'http://127.0.0.1:9991', userId: 5 });
    expect(path).toBe('src/export/zuliprc.html?realm=http%3A%2F%2F127.0.0.1%3A9991&user=5');
    expect(zuliprcPageTarget(new URL(path, 'chrome-extension://id/').search)).toEqual({ realmUrl: 'http://127.0.0.1:9991', userId: 5 });
  });

  it.each(['', '?realm=https%3A%2F%2Fchat.example.com', '?user=5', '?realm=&user=5', '?realm=x&user=5.5', '?realm=x&user=-1', '?realm=x&user=1e3', '?realm=x&user='])(
    'names no account for %j',
    (search) => expect(zuliprcPageTarget(search)).toBeNull(),
  );
});
