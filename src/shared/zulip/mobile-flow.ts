// Zulip's SSO "mobile flow" (docs/zulip-api.md §5): the client sends a one-time pad,
// the server's final redirect carries the API key XORed with it. Pure functions, so that every
// check on that redirect is unit-tested without a browser.
import { originOf } from '../realm-url';
import { API_KEY_PATTERN } from './api-key-format';

export const OTP_BYTES = 32;
const OTP_PATTERN = /^[0-9a-f]{64}$/;
const ENCRYPTED_KEY_PATTERN = /^[0-9a-fA-F]{64}$/;
const USER_ID_PATTERN = /^[1-9][0-9]{0,15}$/;

/** 32 random bytes as 64 lowercase hex digits, what Zulip's is_valid_otp accepts. */
export function generateOtp(random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array = (bytes) => crypto.getRandomValues(bytes)): string {
  return toHex(random(new Uint8Array(OTP_BYTES)));
}

export function isOtp(value: string): boolean {
  return OTP_PATTERN.test(value);
}

/** A method's login_url made absolute, without query or fragment; null unless it is on the realm. */
export function methodLoginUrl(realmUrl: string, loginUrl: string): URL | null {
  let url: URL;
  try {
    url = new URL(loginUrl, realmUrl);
  } catch {
    return null;
  }
  // A login_url is relative to the realm; one pointing elsewhere would send the OTP to a stranger.
  if (url.origin !== new URL(realmUrl).origin) return null;
  url.search = '';
  url.hash = '';
  return url;
}

/** The URL that starts an SSO method's flow: the realm's login_url with the OTP as its only query. */
export function mobileFlowStartUrl(realmUrl: string, loginUrl: string, otp: string): string | null {
  const url = methodLoginUrl(realmUrl, loginUrl);
  if (url === null) return null;
  url.search = new URLSearchParams({ mobile_flow_otp: otp }).toString();
  return url.href;
}

/** Per byte: hex-decode both, XOR, read the bytes as ASCII (zerver/lib/mobile_auth_otp.py, reversed). */
export function decryptApiKey(encrypted: string, otp: string): string {
  const key = fromHex(encrypted);
  const pad = fromHex(otp);
  let text = '';
  for (let i = 0; i < key.length; i++) text += String.fromCharCode((key[i] ?? 0) ^ (pad[i] ?? 0));
  return text;
}

/** The server's side of the XOR (create_response_for_otp_flow), for tests. */
export function encryptApiKey(apiKey: string, otp: string): string {
  const pad = fromHex(otp);
  return toHex(Uint8Array.from(apiKey, (char, i) => char.charCodeAt(0) ^ (pad[i] ?? 0)));
}

export type MobileFlowProblem =
  | 'not-zulip-login'
  | 'missing-parameter'
  | 'malformed-key'
  | 'malformed-user-id'
  | 'other-realm'
  | 'key-not-decoded';

export type MobileFlowResult =
  /** `userId` null: a server before feature level 108, which does not name the account by id. */
  | { ok: true; email: string; userId: number | null; apiKey: string }
  | { ok: false; problem: MobileFlowProblem };

/**
 * Checks a `zulip://login?…` redirect as Zulip's own apps do, and decodes its key. `realmOrigin` is
 * the origin of the realm the flow was started for: a redirect naming any other realm is refused,
 * whatever else it says. user_id came with feature level 108 (zerver/views/auth.py
 * create_response_for_otp_flow, Zulip 5.0); Zulip 2.1 to 4.x send the other three only, which
 * zulip-mobile (src/start/webAuth.js authFromCallbackUrl) accepts, and so do we.
 */
export function readMobileFlowRedirect(location: string, otp: string, realmOrigin: string): MobileFlowResult {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return { ok: false, problem: 'not-zulip-login' };
  }
  // Browsers parse custom schemes opaquely or hierarchically; the host is "login" either way.
  if (url.protocol !== 'zulip:' || !/^\/\/login(\/)?\?/i.test(location.slice('zulip:'.length))) {
    return { ok: false, problem: 'not-zulip-login' };
  }
  const params = url.searchParams;
  const encrypted = params.get('otp_encrypted_api_key');
  const email = params.get('email');
  const userId = params.get('user_id');
  const realm = params.get('realm');
  if (encrypted === null || email === null || email === '' || realm === null) {
    return { ok: false, problem: 'missing-parameter' };
  }
  if (!ENCRYPTED_KEY_PATTERN.test(encrypted)) return { ok: false, problem: 'malformed-key' };
  if (userId !== null && (!USER_ID_PATTERN.test(userId) || !Number.isSafeInteger(Number(userId)))) {
    return { ok: false, problem: 'malformed-user-id' };
  }
  if (originOf(realm) !== realmOrigin) return { ok: false, problem: 'other-realm' };
  const apiKey = decryptApiKey(encrypted, otp);
  // A key XORed with another pad decodes to bytes that are not a Zulip key.
  if (!API_KEY_PATTERN.test(apiKey)) return { ok: false, problem: 'key-not-decoded' };
  return { ok: true, email, userId: userId === null ? null : Number(userId), apiKey };
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function fromHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}
