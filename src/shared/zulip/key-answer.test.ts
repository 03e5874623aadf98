// users/me's refusals, read from real Zulip answers (test/fixtures/zulip-responses.json).
import { describe, expect, it } from 'vitest';
import { zulipResponse } from '../../../test/fixtures/zulip-responses';
import type { RawResponse } from './http';
import { keyNotReceived, keyRefusal } from './key-answer';

const usersMe = (name: string): RawResponse => {
  const fixture = zulipResponse('users_me', name);
  return { status: fixture.status, headers: new Headers(fixture.headers), text: JSON.stringify(fixture.body) };
};

describe('keyRefusal', () => {
  it('tells the refusals apart by msg, on servers old and new', () => {
    expect(keyRefusal(usersMe('error_invalid_api_key'))).toBe('invalid');
    expect(keyRefusal(usersMe('legacy_invalid_api_key_pre_fl134'))).toBe('invalid');
    expect(keyRefusal(usersMe('error_malformed_api_key'))).toBe('malformed');
    expect(keyRefusal(usersMe('error_wrong_subdomain'))).toBe('other-realm');
    expect(keyRefusal(usersMe('error_user_deactivated'))).toBe('user-deactivated');
    expect(keyRefusal(usersMe('legacy_account_not_active_pre_1_9'))).toBe('user-deactivated');
    expect(keyRefusal(usersMe('error_realm_deactivated'))).toBe('realm-deactivated');
  });

  it('reads the deactivation codes of servers that keep them, and a 401 without a Zulip body as invalid', () => {
    const answer = (text: string): RawResponse => ({ status: 401, headers: new Headers(), text });
    expect(keyRefusal(answer(JSON.stringify({ result: 'error', msg: '', code: 'USER_DEACTIVATED' })))).toBe('user-deactivated');
    expect(keyRefusal(answer(JSON.stringify({ result: 'error', msg: '', code: 'REALM_DEACTIVATED' })))).toBe('realm-deactivated');
    expect(keyRefusal(answer('<html>Unauthorized</html>'))).toBe('invalid');
  });
});

describe('keyNotReceived', () => {
  it('is the "Not logged in" 401 alone, with or without its code', () => {
    expect(keyNotReceived(usersMe('error_missing_auth_header'))).toBe(true);
    expect(keyNotReceived(usersMe('legacy_missing_auth_header_pre_fl134'))).toBe(true);
    expect(keyNotReceived(usersMe('error_invalid_api_key'))).toBe(false);
    expect(keyNotReceived(usersMe('error_bad_basic_header'))).toBe(false);
  });
});
