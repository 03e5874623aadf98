import { afterEach, expect, it, vi } from 'vitest';
import { logFailure } from './log-failure';

afterEach(() => vi.restoreAllMocks());

it("logs what failed and the error's name, never its message", () => {
  const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const error = new TypeError('the server said: apiKey=gjA04ZYcqXKalvYMA8OeXSfzUOLrtbZv');
  logFailure('stored accounts not checked', error);
  expect(consoleError).toHaveBeenCalledExactlyOnceWith('Keyring for Zulip: stored accounts not checked (TypeError)');
});

it('names the type of a thrown value that is no Error', () => {
  const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  logFailure('account.signIn failed', 'a password');
  expect(consoleError).toHaveBeenCalledExactlyOnceWith('Keyring for Zulip: account.signIn failed (string)');
});
