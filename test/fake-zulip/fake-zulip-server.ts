// A loopback Zulip server for unit tests, end-to-end browser tests and the demo.
// It speaks only the login surface (server_settings, fetch_api_key, users/me, the development
// sign-in's dev_list_users and dev_fetch_api_key, and the SSO flows of social-auth.ts and
// remote-user-sso.ts) and
// follows docs/zulip-api.md closely enough that a client passing here
// should not be surprised by a real server. No CORS headers anywhere: real Zulip
// sends none on /api/v1, and the extension must rely on host permissions.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { UsernameRateLimiter } from './rate-limiter';
import type { FakeRealmConfig, RealmlessHost } from './realm-config';
import { remoteUserSsoRoute } from './remote-user-sso';
import { closeSsoSite, createSsoSite, ssoRoute } from './social-auth';
import {
  devFetchApiKey,
  devListUsers,
  fetchApiKey,
  notFound,
  realmIcon,
  realmIconPath,
  rootPage,
  serverSettings,
  usersMe,
  type Reply,
  type RequestContext,
} from './zulip-endpoints';

export type { ExternalAuthMethod, FakeRealmConfig, FakeSsoConfig, FakeUser, RealmlessHost } from './realm-config';

export interface RecordedRequest {
  method: string;
  /** Path without the query string, as sent (not percent-decoded). */
  path: string;
  /** Raw query string without the leading "?"; "" when there is none. */
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** How long the server took to answer it (arrival to the end of its response), in ms; absent until answered. */
  handlingMs?: number;
}

export type Override = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>;

export interface FakeZulipServer {
  /** Origin, e.g. "http://127.0.0.1:43121" (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Mutable: tests may change it between requests; null = host with no realm. */
  realm: FakeRealmConfig | null;
  /** What a realm-less host is (see RealmlessHost); only read while `realm` is null. */
  realmlessHost: RealmlessHost;
  /**
   * Mutable: a misconfigured proxy in front of the server, which removes the Authorization header
   * before requests arrive (and before they are recorded). Default false.
   */
  stripAuthorization: boolean;
  /** Replace a route's behaviour (faults); null restores it. Matches the exact pathname, any method. */
  override(pathname: string, handler: Override | null): void;
  clearRateLimits(): void;
  close(): Promise<void>;
}

export interface StartOptions {
  realm: FakeRealmConfig | null;
  host?: string; // default "127.0.0.1"
  port?: number; // default 0 = OS picks
  /** The realm_url/realm_uri it reports; default = server origin. */
  realmUrl?: string;
  /** Default 'unknown-subdomain'. */
  realmlessHost?: RealmlessHost;
  /**
   * The realm's subdomain, as SSO flows name it to the social-auth server (social-auth.ts).
   * Default "", a single-organization server's; realms sharing one social-auth server need distinct ones.
   */
  subdomain?: string;
}

function originFor(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(Buffer.byteLength(reply.body)) });
  res.end(reply.body);
}

export async function startFakeZulip(options: StartOptions): Promise<FakeZulipServer> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const overrides = new Map<string, Override>();
  const limiter = new UsernameRateLimiter();
  const requests: RecordedRequest[] = [];
  let realmUrl = '';
  let closing: Promise<void> | undefined;

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  // Tracked so close() can end kept-alive and deliberately hanging connections at once.
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const rawUrl = req.url ?? '/';
      const queryStart = rawUrl.indexOf('?');
      const pathname = queryStart < 0 ? rawUrl : rawUrl.slice(0, queryStart);
      const query = queryStart < 0 ? '' : rawUrl.slice(queryStart + 1);
      const method = req.method ?? 'GET';
      if (fake.stripAuthorization) delete req.headers.authorization;
      const record: RecordedRequest = { method, path: pathname, query, headers: { ...req.headers }, body: body.toString('utf8') };
      requests.push(record);
      res.once('finish', () => {
        record.handlingMs = performance.now() - started;
      });

      const override = overrides.get(pathname);
      if (override) {
        await override(req, res, body.toString('utf8'));
        return;
      }
      const ctx: RequestContext = {
        method,
        pathname,
        query,
        headers: req.headers,
        body,
        realm: fake.realm,
        realmlessHost: fake.realmlessHost,
        realmUrl,
        limiter,
        nowSeconds: (performance.timeOrigin + performance.now()) / 1000,
      };
      send(res, route(ctx));
    } catch (error) {
      // An aborted upload or a throwing override: answer if still possible, so the
      // test sees a failure instead of a hang.
      if (!res.headersSent && !res.destroyed) {
        send(res, { status: 500, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: String(error) });
      } else {
        res.destroy();
      }
    }
  }

  function route(ctx: RequestContext): Reply {
    switch (ctx.pathname) {
      case '/api/v1/server_settings':
        return serverSettings(ctx);
      case '/api/v1/fetch_api_key':
        return fetchApiKey(ctx);
      case '/api/v1/users/me':
        return usersMe(ctx);
      case '/api/v1/dev_list_users':
        return devListUsers(ctx);
      case '/api/v1/dev_fetch_api_key':
        return devFetchApiKey(ctx);
      case '/':
        return rootPage(ctx);
    }
    if (ctx.realm && ctx.pathname === realmIconPath(ctx.realm)) return realmIcon(ctx.realm);
    return remoteUserSsoRoute(ctx, ssoSite) ?? ssoRoute(ctx, ssoSite) ?? notFound();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = originFor(host, port);
  realmUrl = (options.realmUrl ?? url).replace(/\/+$/, '');

  const fake: FakeZulipServer = {
    url,
    port,
    requests,
    realm: options.realm,
    realmlessHost: options.realmlessHost ?? 'unknown-subdomain',
    stripAuthorization: false,
    override(pathname, handler) {
      if (handler) overrides.set(pathname, handler);
      else overrides.delete(pathname);
    },
    clearRateLimits() {
      limiter.clearAll();
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        closeSsoSite(ssoSite);
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
  const ssoSite = createSsoSite(fake, options.subdomain ?? '', realmUrl);
  return fake;
}
