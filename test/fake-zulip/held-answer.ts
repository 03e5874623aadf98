// Holding the fake Zulip server's answer to one path until the test has done what it needs to do
// meanwhile (close the popup, type into it), then letting the server answer as it would have.
import type { FakeZulipServer } from './fake-zulip-server';

export interface HeldAnswer {
  /** Whether the request has reached the server. */
  arrived(): boolean;
  release(): void;
  /** Whether the server's answer has been sent. */
  answered(): boolean;
}

/** Holds the next request to `path`; later requests are answered at once. */
export function holdAnswer(server: FakeZulipServer, path: string): HeldAnswer {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let arrived = false;
  let answered = false;
  server.override(path, async (req, res, body) => {
    arrived = true;
    await released;
    server.override(path, null);
    const headers = Object.entries(req.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0] !== 'host');
    const answer = await fetch(`${server.url}${req.url ?? path}`, {
      method: req.method ?? 'GET',
      headers: Object.fromEntries(headers),
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
    });
    res.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(await answer.text());
    answered = true;
  });
  return { arrived: () => arrived, release, answered: () => answered };
}
