// Seals API keys with AES-GCM. The additional data binds each sealed key to its account, so a
// sealed key copied into another account's record does not open.
import * as z from 'zod/mini';

export const sealedSchema = z.strictObject({
  iv: z.string().check(z.minLength(1)),
  data: z.string().check(z.minLength(1)),
});
export type Sealed = z.infer<typeof sealedSchema>;

const encoder = new TextEncoder();

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function createKeySealer(getKey: () => Promise<CryptoKey>) {
  return {
    async seal(secret: string, boundTo: string): Promise<Sealed> {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const data = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: encoder.encode(boundTo) },
        await getKey(),
        encoder.encode(secret),
      );
      return { iv: toBase64(iv), data: toBase64(new Uint8Array(data)) };
    },
    /** Throws when the key is gone, the data was altered, or it belongs to another account. */
    async open(sealed: Sealed, boundTo: string): Promise<string> {
      const plain = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: fromBase64(sealed.iv), additionalData: encoder.encode(boundTo) },
        await getKey(),
        fromBase64(sealed.data),
      );
      return new TextDecoder().decode(plain);
    },
  };
}
export type KeySealer = ReturnType<typeof createKeySealer>;
