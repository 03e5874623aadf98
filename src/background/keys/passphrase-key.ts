// The sealing key, wrapped with a key derived from the passphrase: PBKDF2-SHA256 through WebCrypto,
// OWASP's current 600,000 iterations, a random 16-byte salt per wrapping, then AES-GCM. PBKDF2
// rather than Argon2id: every Argon2id package for browsers runs WebAssembly, which the extension's
// content security policy does not allow ('wasm-unsafe-eval' is absent on purpose) and a pure
// JavaScript Argon2 would be too slow at a useful memory cost; WebCrypto's PBKDF2 is native in both
// browsers and needs no dependency.
import { fromBase64, toBase64 } from './key-sealer';

export const PBKDF2_ITERATIONS = 600_000;
const SALT_BYTES = 16;
// Binds the ciphertext to its purpose, so it cannot be passed off as anything else.
const ADDITIONAL_DATA = new TextEncoder().encode('keyring-for-zulip sealing key');

export interface WrappedKey {
  salt: string;
  iterations: number;
  iv: string;
  /** The raw sealing key, AES-GCM encrypted. */
  data: string;
  /** The lock's setting, kept where content scripts cannot change it. */
  idleMinutes: number;
}

async function deriveKey(passphrase: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

export async function wrapKeyBytes(raw: Uint8Array<ArrayBuffer>, passphrase: string, idleMinutes: number): Promise<WrappedKey> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await deriveKey(passphrase, salt, PBKDF2_ITERATIONS);
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: ADDITIONAL_DATA }, key, raw);
  return { salt: toBase64(salt), iterations: PBKDF2_ITERATIONS, iv: toBase64(iv), data: toBase64(new Uint8Array(data)), idleMinutes };
}

/** The raw sealing key, or null when the passphrase is not the one it was wrapped with. */
export async function unwrapKeyBytes(wrapped: WrappedKey, passphrase: string): Promise<Uint8Array<ArrayBuffer> | null> {
  const key = await deriveKey(passphrase, fromBase64(wrapped.salt), Math.max(wrapped.iterations, PBKDF2_ITERATIONS));
  try {
    const raw = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(wrapped.iv), additionalData: ADDITIONAL_DATA }, key, fromBase64(wrapped.data));
    return new Uint8Array(raw);
  } catch {
    return null;
  }
}

/** A new sealing key for the passphrase mode: extractable, because it has to be wrapped. */
export async function generateWrappableKeyBytes(): Promise<Uint8Array<ArrayBuffer>> {
  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
  return new Uint8Array(await crypto.subtle.exportKey('raw', key));
}

/** The sealing key from its bytes, as a key that can only be used. */
export function importKeyBytes(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}
