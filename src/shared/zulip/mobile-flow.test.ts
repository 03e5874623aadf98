import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zulipResponses } from '../../../test/fixtures/zulip-responses';
import { decryptApiKey, encryptApiKey, generateOtp, isOtp, mobileFlowStartUrl, readMobileFlowRedirect } from './mobile-flow';

const { otp: OTP, api_key: KEY, otp_encrypted_api_key: ENCRYPTED } = zulipResponses.mobile_flow;
const REALM = 'https://chat.example.com';

function redirect(params: Record<string, string>): string {
  return `zulip://login?${new URLSearchParams(params).toString()}`;
}
const valid = { otp_encrypted_api_key: ENCRYPTED, email: 'iago@zulip.com', user_id: '5', realm: REALM };

describe('the one-time pad', () => {
  it('is 32 random bytes as 64 lowercase hex digits', () => {
    const otp = generateOtp((bytes) => bytes.fill(0xab));
    expect(otp).toBe('ab'.repeat(32));
    expect(isOtp(otp)).toBe(true);
  });

  it('comes from crypto.getRandomValues by default: two are never equal', () => {
    const first = generateOtp();
    expect(isOtp(first)).toBe(true);
    expect(generateOtp()).not.toBe(first);
  });
});

describe('the XOR of the key with the pad', () => {
  it("decodes the reference's worked example", () => {
    expect(decryptApiKey(ENCRYPTED, OTP)).toBe('gjA04ZYcqXKalvYMA8OeXSfzUOLrtbZv');
  });

  it('reads upper-case hex as the apps do', () => {
    expect(decryptApiKey(ENCRYPTED.toUpperCase(), OTP)).toBe(KEY);
  });

  it('round-trips any 32-character key with any pad', () => {
    const keyChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
    fc.assert(
      fc.property(fc.string({ unit: keyChar, minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (key, pad) => {
        const otp = generateOtp(() => pad);
        const encrypted = encryptApiKey(key, otp);
        expect(encrypted).toMatch(/^[0-9a-f]{64}$/);
        expect(decryptApiKey(encrypted, otp)).toBe(key);
      }),
    );
  });
});

describe('the start URL', () => {
  it("is the realm's login_url with the pad as its query", () => {
    expect(mobileFlowStartUrl(REALM, '/accounts/login/social/google', OTP)).toBe(
      `${REALM}/accounts/login/social/google?mobile_flow_otp=${OTP}`,
    );
  });

  it('replaces a query the login_url had, as zulip-flutter does', () => {
    expect(mobileFlowStartUrl(REALM, '/accounts/login/social/saml/idp?x=1#y', OTP)).toBe(
      `${REALM}/accounts/login/social/saml/idp?mobile_flow_otp=${OTP}`,
    );
  });

  it('refuses a login_url on another origin, which would hand the pad to a stranger', () => {
    expect(mobileFlowStartUrl(REALM, 'https://evil.example/steal', OTP)).toBeNull();
    expect(mobileFlowStartUrl(REALM, '//evil.example/steal', OTP)).toBeNull();
  });
});

describe('the final redirect', () => {
  it('gives the email, user id and decoded key of a valid one', () => {
    expect(readMobileFlowRedirect(redirect(valid), OTP, REALM)).toEqual({ ok: true, email: 'iago@zulip.com', userId: 5, apiKey: KEY });
  });

  it.each([
    ['final_redirect_fl_below_108', 'iago@zulip.com'],
    ['final_redirect_zulip_2_1', 'Iago@Zulip.com'],
  ] as const)('reads %s, which has no user_id: the account is named later, by users/me', (name, email) => {
    const location = zulipResponses.mobile_flow[name].headers.Location;
    expect(readMobileFlowRedirect(location, OTP, REALM)).toEqual({ ok: true, email, userId: null, apiKey: KEY });
  });

  it("accepts the realm with a trailing slash or path: only its origin is compared", () => {
    expect(readMobileFlowRedirect(redirect({ ...valid, realm: `${REALM}/` }), OTP, REALM).ok).toBe(true);
  });

  it.each([
    ['another scheme', `https://login?${new URLSearchParams(valid).toString()}`, 'not-zulip-login'],
    ['another host', `zulip://logout?${new URLSearchParams(valid).toString()}`, 'not-zulip-login'],
    ['a host that only starts with login', `zulip://login.evil?${new URLSearchParams(valid).toString()}`, 'not-zulip-login'],
    ['no URL at all', 'not a url', 'not-zulip-login'],
    ['no key', redirect({ email: valid.email, user_id: '5', realm: REALM }), 'missing-parameter'],
    ['no email', redirect({ otp_encrypted_api_key: ENCRYPTED, user_id: '5', realm: REALM }), 'missing-parameter'],
    ['an empty email', redirect({ ...valid, email: '' }), 'missing-parameter'],
    ['no realm', redirect({ otp_encrypted_api_key: ENCRYPTED, email: valid.email, user_id: '5' }), 'missing-parameter'],
    ['a short key', redirect({ ...valid, otp_encrypted_api_key: ENCRYPTED.slice(2) }), 'malformed-key'],
    ['a long key', redirect({ ...valid, otp_encrypted_api_key: `${ENCRYPTED}00` }), 'malformed-key'],
    ['a key that is not hex', redirect({ ...valid, otp_encrypted_api_key: `${ENCRYPTED.slice(1)}g` }), 'malformed-key'],
    ['a user id that is not an integer', redirect({ ...valid, user_id: '5.5' }), 'malformed-user-id'],
    ['a negative user id', redirect({ ...valid, user_id: '-5' }), 'malformed-user-id'],
    ['a user id too large to be exact', redirect({ ...valid, user_id: '99999999999999999' }), 'malformed-user-id'],
    ['another realm', redirect({ ...valid, realm: 'https://evil.example.com' }), 'other-realm'],
    ['the realm over http', redirect({ ...valid, realm: 'http://chat.example.com' }), 'other-realm'],
    ['the realm on another port', redirect({ ...valid, realm: 'https://chat.example.com:8443' }), 'other-realm'],
    ['a realm that is not a URL', redirect({ ...valid, realm: 'chat.example.com' }), 'other-realm'],
  ])('refuses %s', (_name, location, problem) => {
    expect(readMobileFlowRedirect(location, OTP, REALM)).toEqual({ ok: false, problem });
  });

  it('refuses a key encrypted with another pad: it does not decode to a Zulip key', () => {
    const otherPad = 'f'.repeat(64);
    expect(readMobileFlowRedirect(redirect(valid), otherPad, REALM)).toEqual({ ok: false, problem: 'key-not-decoded' });
  });
});
