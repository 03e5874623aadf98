// Looks for secrets (passwords, API keys) in text the extension left behind: not only verbatim, but in the
// encodings a careless line of code would produce (JSON, URL and form encoding, base64 and base64url at any byte
// alignment, hex of UTF-8 or UTF-16). A sealed key does not match: AES-GCM ciphertext shares nothing with its plaintext.

export interface Secret {
  /** What the secret is, for the report (never the value itself). */
  name: string;
  value: string;
}

export interface Finding {
  secret: string;
  encoding: string;
  /** Which source it was found in. */
  where: string;
}

interface Form {
  encoding: string;
  text: string;
  ignoreCase: boolean;
}

const utf8 = (text: string) => new TextEncoder().encode(text);

function utf16le(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    bytes[2 * i] = unit & 0xff;
    bytes[2 * i + 1] = unit >> 8;
  }
  return bytes;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/**
 * The base64 characters that encode `bytes` whatever comes before and after them: the secret may sit at any offset
 * of a longer encoded value, so each of the three alignments gives its own run of characters. Only characters made
 * entirely of the secret's bits are kept.
 */
function base64Runs(bytes: Uint8Array): string[] {
  const runs: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), Buffer.from(bytes)]);
    const encoded = padded.toString('base64');
    const start = offset === 0 ? 0 : 4;
    const end = Math.floor(padded.length / 3) * 4;
    if (end - start >= 4) runs.push(encoded.slice(start, end));
  }
  return runs;
}

/** Every form the scanner looks for, deduplicated (an alphanumeric secret is its own URL encoding). */
export function encodedForms(value: string): Form[] {
  const forms: Form[] = [
    { encoding: 'plain', text: value, ignoreCase: false },
    { encoding: 'JSON string', text: JSON.stringify(value).slice(1, -1), ignoreCase: false },
    { encoding: 'URL-encoded', text: encodeURIComponent(value), ignoreCase: true },
    { encoding: 'form-encoded', text: new URLSearchParams({ x: value }).toString().slice(2), ignoreCase: true },
    ...base64Runs(utf8(value)).flatMap((run) => [
      { encoding: 'base64', text: run, ignoreCase: false },
      { encoding: 'base64url', text: run.replace(/\+/g, '-').replace(/\//g, '_'), ignoreCase: false },
    ]),
    { encoding: 'hex (UTF-8)', text: hex(utf8(value)), ignoreCase: true },
    { encoding: 'hex (UTF-16LE)', text: hex(utf16le(value)), ignoreCase: true },
  ];
  const seen = new Set<string>();
  return forms.filter((form) => {
    const key = form.text.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Every secret, in every form, in every source. `sources` maps a name (where) to the text found there. */
export function findSecrets(sources: Record<string, string>, secrets: Secret[]): Finding[] {
  for (const secret of secrets) {
    // Short values match by accident (and a form of one could be in every base64 string): refuse them.
    if (secret.value.length < 6) throw new Error(`Secret "${secret.name}" is too short to scan for reliably`);
  }
  const findings: Finding[] = [];
  for (const [where, text] of Object.entries(sources)) {
    const lower = text.toLowerCase();
    for (const secret of secrets) {
      for (const form of encodedForms(secret.value)) {
        const found = form.ignoreCase ? lower.includes(form.text.toLowerCase()) : text.includes(form.text);
        if (found) findings.push({ secret: secret.name, encoding: form.encoding, where });
      }
    }
  }
  return findings;
}
