// How Django and Python read requests and print numbers, where the fake must agree
// with them so that client bugs show up here and not first on a real server.

import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';

/** Form fields as Django's request.POST would hold them: multi-valued, in order. */
export type FormFields = Map<string, string[]>;

function addField(fields: FormFields, name: string, value: string): void {
  const values = fields.get(name);
  if (values) values.push(value);
  else fields.set(name, [value]);
}

export function parseQueryString(query: string): FormFields {
  const fields: FormFields = new Map();
  for (const [name, value] of new URLSearchParams(query)) addField(fields, name, value);
  return fields;
}

/**
 * Django fills request.POST only for urlencoded and multipart bodies; anything
 * else (JSON in particular) leaves it empty, so the view sees missing arguments.
 */
export function parseFormBody(contentType: string | undefined, body: Buffer): FormFields {
  const [mediaType = '', ...params] = (contentType ?? '').split(';');
  switch (mediaType.trim().toLowerCase()) {
    case 'application/x-www-form-urlencoded':
      return parseQueryString(body.toString('utf8'));
    case 'multipart/form-data': {
      const boundary = params
        .map((p) => /^\s*boundary\s*=\s*(?:"([^"]*)"|(\S+))\s*$/i.exec(p))
        .find((m) => m !== null);
      const value = boundary?.[1] ?? boundary?.[2];
      return value ? parseMultipart(body, value) : new Map();
    }
    default:
      return new Map();
  }
}

function parseMultipart(body: Buffer, boundary: string): FormFields {
  const fields: FormFields = new Map();
  // latin1 keeps one char per byte, so slicing cannot split a UTF-8 sequence.
  const text = body.toString('latin1');
  for (const part of text.split(`--${boundary}`).slice(1)) {
    if (part.startsWith('--')) break;
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) continue;
    const headers = part.slice(0, headerEnd);
    const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    // Parts with a filename go to request.FILES, not request.POST.
    if (name === undefined || /\bfilename=/i.test(disposition)) continue;
    const raw = part.slice(headerEnd + 4).replace(/\r\n$/, '');
    addField(fields, name, Buffer.from(raw, 'latin1').toString('utf8'));
  }
  return fields;
}

/** Django's QueryDict.__getitem__ returns the last value of a repeated key. */
export function lastValue(fields: FormFields, name: string): string | undefined {
  return fields.get(name)?.at(-1);
}

// django.core.validators.EmailValidator; its quoted-string form allows control characters.
const EMAIL_USER_RE =
  // eslint-disable-next-line no-control-regex
  /^(?:[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*|"(?:[\x01-\x08\x0b\x0c\x0e-\x1f!#-[\]-\x7f]|\\[\x01-\x09\x0b\x0c\x0e-\x7f])*")$/i;
const EMAIL_DOMAIN_RE = /^(?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+[A-Z0-9-]{2,63}(?<!-)$/i;
const EMAIL_LITERAL_RE = /^\[([A-F0-9:.]+)\]$/i;

export function isValidEmail(value: string): boolean {
  if (!value || !value.includes('@') || value.length > 320) return false;
  const at = value.lastIndexOf('@');
  const user = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (!EMAIL_USER_RE.test(user)) return false;
  if (domain === 'localhost' || EMAIL_DOMAIN_RE.test(domain)) return true;
  const literal = EMAIL_LITERAL_RE.exec(domain)?.[1];
  if (literal !== undefined) return isIP(literal) !== 0;
  const ascii = domainToASCII(domain);
  return ascii !== '' && EMAIL_DOMAIN_RE.test(ascii);
}

/** zerver/lib/user_agent.py parse_user_agent: the product name, e.g. "ZulipFlutter". */
export function userAgentName(userAgent: string): string {
  const match = /^(?<name>[^/ ]*[^0-9/(]*)(?:\/(?<version>[^/ ]*))?(?:[ /].*)?$/s.exec(userAgent);
  return match?.groups?.['name'] ?? '';
}

/**
 * Python's base64.b64decode without validate=True: characters outside the
 * alphabet are skipped, a complete pad ends the input, and a dangling partial
 * quantum is an error. Non-ASCII input is a ValueError too. Returns null on error.
 */
export function pythonB64decode(input: string): Buffer | null {
  if (/[^\p{ASCII}]/u.test(input)) return null;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const out: number[] = [];
  let quadPos = 0;
  let pads = 0;
  let bits = 0;
  let bitCount = 0;
  for (const ch of input) {
    if (ch === '=') {
      if (quadPos >= 2 && quadPos + ++pads >= 4) return Buffer.from(out);
      continue;
    }
    const v = alphabet.indexOf(ch);
    if (v < 0) continue;
    pads = 0;
    quadPos = (quadPos + 1) % 4;
    bits = ((bits << 6) | v) & 0xffffff;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      out.push((bits >> bitCount) & 0xff);
    }
  }
  return quadPos === 0 ? Buffer.from(out) : null;
}

export function strictUtf8(bytes: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * str(float) in Python. Only the integral case differs from JavaScript in the
 * range a retry-after can take (0 to the window length): 1800.0, not 1800.
 */
export function pythonFloat(x: number): string {
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}

/**
 * urllib.parse.urlencode of ordered pairs. quote_plus keeps only A-Z a-z 0-9 _ . - ~ and turns
 * spaces into "+"; encodeURIComponent also keeps ! ' ( ) *, so those are escaped here.
 */
export function pythonUrlencode(pairs: ReadonlyArray<readonly [string, string]>): string {
  const quotePlus = (text: string): string =>
    encodeURIComponent(text)
      .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
      .replace(/%20/g, '+');
  return pairs.map(([name, value]) => `${quotePlus(name)}=${quotePlus(value)}`).join('&');
}

/**
 * How REQ() finds a view's parameter: the form body (request.POST) first, then the query
 * string, taking the last value of a repeated name.
 */
export function requestParams(contentType: string | undefined, body: Buffer, query: string): (name: string) => string | undefined {
  const post = parseFormBody(contentType, body);
  const get = parseQueryString(query);
  return (name) => lastValue(post, name) ?? lastValue(get, name);
}
