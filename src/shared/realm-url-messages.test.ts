import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRealmUrl, REALM_URL_PROBLEM_MESSAGE, type RealmUrlProblem } from './realm-url';

const catalogue = JSON.parse(readFileSync(new URL('../../public/_locales/en/messages.json', import.meta.url), 'utf8')) as Record<string, unknown>;

const cases: [string, RealmUrlProblem, string][] = [
  ['   ', 'empty', 'error_url_empty'],
  [`chat.example.com/${'a'.repeat(1100)}`, 'too-long', 'error_url_too_long'],
  ['zulip://chat.example.com', 'unsupported-scheme', 'error_url_scheme'],
  ['iago@zulip.com', 'email-not-url', 'error_url_email'],
  ['https://iago:secret@chat.example.com', 'credentials-in-url', 'error_url_credentials'],
  ['http://chat.example.com', 'insecure-http', 'error_url_insecure_http'],
  ['https://exa mple.com', 'invalid', 'error_url_invalid'],
];

describe('REALM_URL_PROBLEM_MESSAGE', () => {
  it.each(cases)('%j is %s, told with %s', (input, problem, key) => {
    const parsed = parseRealmUrl(input);
    expect(parsed).toEqual({ ok: false, problem });
    expect(REALM_URL_PROBLEM_MESSAGE[problem]).toBe(key);
    expect(catalogue[key]).toBeDefined();
  });
});
