// Misbehaving responses to install with FakeZulipServer.override(), for testing how
// a client copes with what sits between it and Zulip (proxies, captive portals,
// wrong hosts) rather than with Zulip itself.

import type { ServerResponse } from 'node:http';
import type { Override } from './fake-zulip-server';

/** An HTML page, like a proxy error or a captive portal would serve. */
export function htmlPage(status: number): Override {
  return (_req, res) => {
    const body = `<!doctype html><title>${status}</title><h1>Error ${status}</h1><p>This is not Zulip.</p>\n`;
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };
}

/**
 * Never answers. The connection stays open until the client gives up or the
 * server's close() destroys it, so nothing here keeps the process alive.
 */
export function hang(): Override {
  return () => {};
}

export function redirectTo(location: string, status = 302): Override {
  return (_req, res) => {
    res.writeHead(status, { Location: location, 'Content-Length': 0 });
    res.end();
  };
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * A 200 application/json body of `bytes` bytes that parses as JSON (a success
 * with a long padding string), streamed with backpressure. With
 * `declareLength: false` it is sent chunked, so only a streaming size limit can
 * catch it. Bodies shorter than the JSON skeleton (42 bytes) come out at 42.
 */
export function oversizedJson(bytes: number, options: { declareLength?: boolean } = {}): Override {
  return async (_req, res) => {
    const head = '{"result":"success","msg":"","padding":"';
    const tail = '"}';
    let left = Math.max(0, bytes - head.length - tail.length);
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (options.declareLength ?? true) headers['Content-Length'] = String(head.length + left + tail.length);
    res.writeHead(200, headers);
    res.write(head);
    const chunk = 'x'.repeat(64 * 1024);
    while (left > 0 && !res.destroyed) {
      const size = Math.min(left, chunk.length);
      left -= size;
      if (!res.write(size === chunk.length ? chunk : chunk.slice(0, size))) await drainedOrClosed(res);
    }
    if (!res.destroyed) res.end(tail);
  };
}

/** A 200 application/json body cut off in the middle of an object. */
export function malformedJson(): Override {
  return (_req, res) => {
    const body = '{"result":"success","msg":"","api_key":"gjA04ZYcqX';
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };
}

/** Starts a 200 JSON answer and never finishes it: a server that hangs mid-answer. */
export function stalledBody(): Override {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write('{"result":"success","msg":"",');
  };
}

/**
 * Zulip's own 405 (json_method_not_allowed): a JSON error without a code inside Django's
 * text/html response, as a proxy that lets only some methods through would make it answer.
 */
export function methodNotAllowed(allowed: string[] = ['POST']): Override {
  return (_req, res) => {
    const body = JSON.stringify({ result: 'error', msg: 'Method Not Allowed', allowed_methods: allowed });
    res.writeHead(405, { 'Content-Type': 'text/html; charset=utf-8', Allow: allowed.join(', '), 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };
}

/**
 * Zulip's own 500 (zerver/middleware.py JsonErrorHandler, for any exception a JSON endpoint lets
 * through): a JSON error without code.
 */
export function zulipInternalError(): Override {
  return (_req, res) => {
    const body = JSON.stringify({ result: 'error', msg: 'Internal server error' });
    res.writeHead(500, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };
}
