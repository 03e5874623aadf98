// Seals API keys with AES-GCM. The additional data binds each sealed key to its account, so a
// sealed key copied into another account's record does not open. While the passphrase lock moves
// accounts from one sealing key to another (passphrase-lock.ts), a key opens with either.
import * as z from 'zod/mini';

export const sealedSchema = z.strictObject({
  iv: z.string().check(z.minLength(1)),
  data: z.string().check(z.minLength(1)),
});
export type Sealed = z.infer<typeof sealedSchema>;

const encoder = new TextEncoder();

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The key new seals use, and every key an existing seal may be under (the first is tried first). */
export interface SealingKeys {
  seal: CryptoKey;
  open: CryptoKey[];
}

export function createKeySealer(getKeys: () => Promise<SealingKeys>) {
  return {
    async seal(secret: string, boundTo: string): Promise<Sealed> {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const data = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: encoder.encode(boundTo) },
        (await getKeys()).seal,
        encoder.encode(secret),
      );
      return { iv: toBase64(iv), data: toBase64(new Uint8Array(data)) };
    },
    /** Throws when no key opens it: the key is gone, the data was altered, or it belongs to another account. */
    async open(sealed: Sealed, boundTo: string): Promise<string> {
      const params = { name: 'AES-GCM', iv: fromBase64(sealed.iv), additionalData: encoder.encode(boundTo) };
      let failure: unknown = new Error('No sealing key');
      for (const key of (await getKeys()).open) {
        try {
          return new TextDecoder().decode(await crypto.subtle.decrypt(params, key, fromBase64(sealed.data)));
        } catch (error) {
          failure = error;
        }
      }
      throw failure;
    },
  };
}
export type KeySealer = ReturnType<typeof createKeySealer>;
