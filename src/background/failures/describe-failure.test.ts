import { describe, expect, it } from 'vitest';
import browser from 'webextension-polyfill';
import type { ApiFailure } from '../../shared/zulip/api-error';
import { describeFailure, type FailureContext } from './describe-failure';

const context: FailureContext = { origin: 'https://chat.example.com', usernameIsEmail: true, now: Date.UTC(2026, 0, 1, 12, 0, 0), locale: 'en-GB' };
const t = (key: string, subs?: string | string[]) => browser.i18n.getMessage(key, subs);
const zulip = (status: number, code: string | null, msg = '', retryAfterSeconds: number | null = null): ApiFailure => ({ kind: 'zulip', status, code, msg, retryAfterSeconds });

describe('describeFailure gives each failure its own code and sentence', () => {
  it.each<[string, ApiFailure, string, string]>([
    ['network failure', { kind: 'network' }, 'NETWORK', 'Could not connect to https://chat.example.com.'],
    ['timeout', { kind: 'timeout' }, 'TIMEOUT', 'https://chat.example.com did not answer in time.'],
    ['redirect with a target', { kind: 'redirect', location: 'https://other.example.com/' }, 'REDIRECT', 'redirects to https://other.example.com/.'],
    ['redirect hiding its target', { kind: 'redirect', location: null }, 'REDIRECT', 'redirects to another address'],
    ['oversized body', { kind: 'too-large' }, 'TOO_LARGE', 'far larger than a Zulip server sends'],
    ['HTML page', { kind: 'not-zulip', status: 200 }, 'NOT_ZULIP', 'does not look like a Zulip server (it answered with HTTP 200'],
    ['JSON of the wrong shape', { kind: 'malformed', status: 200 }, 'MALFORMED_RESPONSE', 'answer that Zulip servers do not send'],
    ['HTTP 502', { kind: 'server-error', status: 502 }, 'SERVER_ERROR', 'has a problem (HTTP 502)'],
    ['no organization at the host', { kind: 'no-realm' }, 'NO_REALM', 'There is no Zulip organization at https://chat.example.com.'],
    ['plain-http realm URL', { kind: 'insecure-realm', realmUrl: 'http://chat.example.com' }, 'INSECURE_REALM', 'gives its address as http://chat.example.com'],
    ['wrong password', zulip(401, 'AUTHENTICATION_FAILED', 'Your username or password is incorrect'), 'AUTHENTICATION_FAILED', 'Your email or password is incorrect.'],
    ['wrong password, pre-5.0 403 with code', zulip(403, 'AUTHENTICATION_FAILED'), 'AUTHENTICATION_FAILED', 'Your email or password is incorrect.'],
    ['user deactivated', zulip(401, 'USER_DEACTIVATED'), 'USER_DEACTIVATED', 'has been deactivated. Ask an administrator'],
    ['user deactivated, pre-5.0 403', zulip(403, 'USER_DEACTIVATED'), 'USER_DEACTIVATED', 'Your account in this organization has been deactivated.'],
    ['realm deactivated', zulip(401, 'REALM_DEACTIVATED'), 'REALM_DEACTIVATED', 'This organization has been deactivated.'],
    ['password auth disabled', zulip(401, 'PASSWORD_AUTH_DISABLED'), 'PASSWORD_AUTH_DISABLED', 'does not allow signing in with a password'],
    ['password reset required', zulip(401, 'PASSWORD_RESET_REQUIRED'), 'PASSWORD_RESET_REQUIRED', 'needs to be reset'],
    ['email of another realm', zulip(404, 'NONEXISTENT_SUBDOMAIN', 'Invalid subdomain'), 'NONEXISTENT_SUBDOMAIN', 'belongs to another organization on this server'],
    ['username not an email', zulip(400, 'BAD_REQUEST', 'Enter a valid email address.'), 'USERNAME_NOT_EMAIL', 'Enter a valid email address.'],
    ['405 without a code', zulip(405, null, 'Method Not Allowed'), 'SERVER_REFUSED', 'refused the sign-in request (HTTP 405)'],
    ['Zulip 2.x 403 without a code', zulip(403, null, 'Your username or password is incorrect.'), 'SERVER_REFUSED', 'The server refused the sign-in: Your username or password is incorrect.'],
    ['unknown code, no message', zulip(400, 'SOMETHING_NEW'), 'SERVER_REFUSED', 'The server refused the sign-in (HTTP 400).'],
    ['429 without any delay', zulip(429, null), 'RATE_LIMIT_HIT', 'Wait a while before trying again.'],
  ])('%s', (_name, input, code, text) => {
    const error = describeFailure(input, context, t);
    expect(error.code).toBe(code);
    expect(error.message).toContain(text);
  });

  it('says "username" on LDAP realms that sign in with usernames', () => {
    const error = describeFailure(zulip(401, 'AUTHENTICATION_FAILED'), { ...context, usernameIsEmail: false }, t);
    expect(error.message).toBe('Your username or password is incorrect.');
  });

  it('turns a float retry-after into the time the next attempt is allowed', () => {
    const error = describeFailure(zulip(429, 'RATE_LIMIT_HIT', 'API usage exceeded rate limit', 1743), context, t);
    expect(error.retryAt).toBe(context.now + 1743_000);
    // 12:00:00 + 1743 s = 12:29:03 UTC; shown without seconds because the wait is long.
    expect(error.message).toContain(new Intl.DateTimeFormat('en-GB', { hour: 'numeric', minute: '2-digit' }).format(new Date(context.now + 1743_000)));
  });

  it('shows a long server message cut to 300 characters', () => {
    const error = describeFailure(zulip(403, null, 'x'.repeat(1000)), context, t);
    expect(error.message).toBe(`The server refused the sign-in: ${'x'.repeat(300)}`);
  });
});
