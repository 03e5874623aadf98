// A fake identity provider for Zulip's SSO flow (social-auth.ts), shaped like an OAuth 2
// authorization endpoint: GET /authorize?redirect_uri=…&state=… shows one button per identity
// ("Continue as <email>", a plain form, no scripts), and choosing one answers a 302 to
// redirect_uri?state=…&code=…. The code is random and opaque; the fake Zulip redeems it in-process
// with redeemAuthorizationCode instead of calling a token endpoint, since both fakes run in the
// same process. Codes are single-use and forgotten when their provider closes.

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { requestParams } from './django-compat';
import type { RecordedRequest } from './fake-zulip-server';
import { escapeHtml, HTML_TYPE, htmlDocument as page, type Reply } from './zulip-endpoints';

export interface FakeIdentityProvider {
  /** Origin, e.g. "http://localhost:43121" (no trailing slash). */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface IdentityProviderOptions {
  /** Default "localhost". */
  host?: string;
  /** The emails offered, one button each. */
  identities: string[];
}

interface IssuedCode {
  issuer: string;
  email: string;
  redirectUri: string;
}

const issuedCodes = new Map<string, IssuedCode>();

/**
 * The email a code stands for, if `issuer` (a provider's origin) issued it for this redirect_uri
 * and it was not redeemed before; as a token endpoint would check.
 */
export function redeemAuthorizationCode(issuer: string, code: string, redirectUri: string): string | undefined {
  const issued = issuedCodes.get(code);
  if (!issued || issued.issuer !== issuer || issued.redirectUri !== redirectUri) return undefined;
  issuedCodes.delete(code);
  return issued.email;
}

function badRequest(reason: string): Reply {
  return page(400, 'Bad request', `<h1>Bad request</h1>\n<p>${escapeHtml(reason)}</p>`);
}

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

function authorizePage(redirectUri: string, state: string, identities: readonly string[]): Reply {
  const hidden = (name: string, value: string): string => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  const buttons = identities.map(
    (email) => `<p><button type="submit" name="email" value="${escapeHtml(email)}">Continue as ${escapeHtml(email)}</button></p>`,
  );
  return page(
    200,
    'Fake identity provider',
    [
      '<h1>Fake identity provider</h1>',
      `<p>Choose an account to continue to ${escapeHtml(new URL(redirectUri).host)}.</p>`,
      `<form method="post" action="/authorize">${hidden('redirect_uri', redirectUri)}${hidden('state', state)}`,
      ...buttons,
      '</form>',
    ].join('\n'),
  );
}

export async function startFakeIdentityProvider(options: IdentityProviderOptions): Promise<FakeIdentityProvider> {
  const host = options.host ?? 'localhost';
  const identities = [...options.identities];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let issuer = '';
  let closing: Promise<void> | undefined;

  function authorize(method: string, param: (name: string) => string | undefined): Reply {
    if (method !== 'GET' && method !== 'POST') {
      return { status: 405, headers: { 'Content-Type': HTML_TYPE, Allow: 'GET, POST' }, body: '' };
    }
    const redirectUri = param('redirect_uri') ?? '';
    const state = param('state') ?? '';
    if (!isHttpUrl(redirectUri) || state === '') return badRequest('redirect_uri (an http or https URL) and state are required.');
    if (method === 'GET') return authorizePage(redirectUri, state, identities);

    const email = param('email') ?? '';
    if (!identities.includes(email)) return badRequest(`No identity ${email} here.`);
    const code = randomBytes(24).toString('base64url');
    issuedCodes.set(code, { issuer, email, redirectUri });
    const back = new URL(redirectUri);
    back.searchParams.append('state', state);
    back.searchParams.append('code', code);
    return { status: 302, headers: { 'Content-Type': HTML_TYPE, Location: back.href }, body: '' };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const rawUrl = req.url ?? '/';
    const queryStart = rawUrl.indexOf('?');
    const path = queryStart < 0 ? rawUrl : rawUrl.slice(0, queryStart);
    const query = queryStart < 0 ? '' : rawUrl.slice(queryStart + 1);
    const method = req.method ?? 'GET';
    const record: RecordedRequest = { method, path, query, headers: { ...req.headers }, body: body.toString('utf8') };
    requests.push(record);
    res.once('finish', () => {
      record.handlingMs = performance.now() - started;
    });
    const reply =
      path === '/authorize'
        ? authorize(method, requestParams(req.headers['content-type'], body, query))
        : page(404, 'Not found', '<h1>Not found</h1>');
    res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(Buffer.byteLength(reply.body)) });
    res.end(reply.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  issuer = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: issuer,
    requests,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const [code, issued] of issuedCodes) if (issued.issuer === issuer) issuedCodes.delete(code);
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
