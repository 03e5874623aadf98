import { describe, expect, it } from 'vitest';
import { ZULIPRC_FILENAME, zuliprcText } from './zuliprc';

describe('zuliprc', () => {
  it('is the [api] section Zulip\'s web app writes, with a trailing newline', () => {
    expect(zuliprcText({ email: 'iago@zulip.com', apiKey: 'gjA04ZYcqXKalvYMA8OeXSfzUOLrtbZv', site: 'https://chat.example.com' })).toBe(
      '[api]\nemail=iago@zulip.com\nkey=gjA04ZYcqXKalvYMA8OeXSfzUOLrtbZv\nsite=https://chat.example.com\n',
    );
  });

  it('is named zuliprc, as Zulip names it (browsers refuse a leading dot)', () => {
    expect(ZULIPRC_FILENAME).toBe('zuliprc');
  });

  it.each([
    ['email', { email: 'iago@zulip.com\nsite=https://evil.example', apiKey: 'k', site: 'https://chat.example.com' }],
    ['key', { email: 'iago@zulip.com', apiKey: 'k\r\n[other]', site: 'https://chat.example.com' }],
    ['site', { email: 'iago@zulip.com', apiKey: 'k', site: 'https://chat.example.com\rkey=x' }],
  ])('refuses a line break in the %s rather than write another key or section', (_, fields) => {
    expect(() => zuliprcText(fields)).toThrow();
  });
});
