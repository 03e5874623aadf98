// The scanner the end-to-end secrets spec relies on: it must find a secret in every form it claims to know, at any
// position, and must not mistake a sealed key for its plaintext.
import { describe, expect, it } from 'vitest';
import { encodedForms, findSecrets, type Secret } from '../e2e/harness/secret-scan';

const KEY: Secret = { name: 'API key', value: 'gjA04ZYcqXKalvYMA8OeXSfzUOLrtbZv' };
const PASSWORD: Secret = { name: 'password', value: 'Wr0ng pass/word+&=?é' };
const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64');

describe('findSecrets', () => {
  it.each([
    ['plain', (s: string) => `{"note":"${s}"}`],
    ['JSON string', (s: string) => JSON.stringify({ note: `${s}"` })],
    ['URL-encoded', (s: string) => `https://chat.example.com/?k=${encodeURIComponent(s)}`],
    ['form-encoded', (s: string) => `username=x&password=${new URLSearchParams({ p: s }).toString().slice(2)}`],
    ['base64, aligned', (s: string) => b64(s)],
    ['base64, one byte in', (s: string) => b64(`:${s}`)],
    ['base64, two bytes in', (s: string) => `Basic ${b64(`iago@zulip.com:${s}`)}`],
    ['base64url', (s: string) => b64(`??${s}??`).replace(/\+/g, '-').replace(/\//g, '_')],
    ['hex', (s: string) => Buffer.from(`x${s}y`).toString('hex')],
    ['upper-case hex', (s: string) => Buffer.from(s).toString('hex').toUpperCase()],
    ['hex of UTF-16', (s: string) => Buffer.from(s, 'utf16le').toString('hex')],
  ])('finds the password and the key %s', (_, encode) => {
    for (const secret of [PASSWORD, KEY]) {
      const findings = findSecrets({ here: `prefix ${encode(secret.value)} suffix`, elsewhere: 'nothing' }, [PASSWORD, KEY]);
      expect(findings.filter((f) => f.secret === secret.name && f.where === 'here')).not.toEqual([]);
      expect(findings.filter((f) => f.where === 'elsewhere')).toEqual([]);
    }
  });

  it('names the secret, the encoding and the place, never the value', () => {
    expect(findSecrets({ 'storage.local': b64(KEY.value) }, [KEY])).toEqual([{ secret: 'API key', encoding: 'base64', where: 'storage.local' }]);
  });

  it('is not fooled by the key sealed with AES-GCM, as the extension stores it', async () => {
    const aes = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt']);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, aes, new TextEncoder().encode(KEY.value));
    const sealed = JSON.stringify({ sealedApiKey: { iv: b64(iv), data: b64(new Uint8Array(data)) } });
    expect(findSecrets({ 'storage.local': sealed }, [KEY, PASSWORD])).toEqual([]);
  });

  it('finds nothing in text without the secrets', () => {
    expect(findSecrets({ a: 'iago@zulip.com Zulip Dev https://chat.example.com', b: '' }, [KEY, PASSWORD])).toEqual([]);
  });

  it('refuses secrets too short to scan for without false alarms', () => {
    expect(() => findSecrets({ a: '' }, [{ name: 'pin', value: '1234' }])).toThrow(/too short/);
  });

  it('looks for each distinct form once (an alphanumeric key is its own URL encoding)', () => {
    const forms = encodedForms(KEY.value).map((f) => f.encoding);
    expect(forms).not.toContain('URL-encoded');
    expect(encodedForms(PASSWORD.value).map((f) => f.encoding)).toContain('URL-encoded');
  });
});
