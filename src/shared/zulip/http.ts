// One HTTP exchange with a Zulip server, with the limits a password manager needs:
// no cookies, no silent redirects (a 307 would replay the password elsewhere),
// a deadline, and a cap on how much of a hostile answer is read.
import { ApiError } from './api-error';

export interface HttpLimits {
  timeoutMs: number;
  maxBytes: number;
}

export const DEFAULT_LIMITS: HttpLimits = { timeoutMs: 15_000, maxBytes: 1024 * 1024 };

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export async function exchange(
  url: string,
  init: RequestInit,
  limits: HttpLimits,
  fetchImpl: FetchLike,
): Promise<RawResponse> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
  try {
    let response: Response;
    try {
      response = await fetchImpl(url, {
        ...init,
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'manual',
        referrerPolicy: 'no-referrer',
        signal: controller.signal,
      });
    } catch {
      throw new ApiError(controller.signal.aborted ? { kind: 'timeout' } : { kind: 'network' });
    }
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      // Browsers hide Location from redirect:'manual' answers; the caller may find it with a GET.
      await response.body?.cancel().catch(() => undefined);
      throw new ApiError({ kind: 'redirect', location: response.headers.get('location') });
    }
    const text = await readCapped(response, limits.maxBytes, controller.signal);
    return { status: response.status, headers: response.headers, text };
  } finally {
    clearTimeout(timer);
  }
}

async function readCapped(response: Response, maxBytes: number, signal: AbortSignal): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new ApiError({ kind: 'too-large' });
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new ApiError({ kind: 'too-large' });
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(signal.aborted ? { kind: 'timeout' } : { kind: 'network' });
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/**
 * Where a redirecting URL leads, found with a plain GET that carries no secret.
 * Null when the browser will not tell (for example a target the extension may not read).
 */
export async function findRedirectTarget(url: string, limits: HttpLimits, fetchImpl: FetchLike): Promise<string | null> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
  try {
    const response = await fetchImpl(url, {
      method: 'GET',
      credentials: 'omit',
      cache: 'no-store',
      redirect: 'follow',
      signal: controller.signal,
    });
    await response.body?.cancel().catch(() => undefined);
    return response.redirected ? response.url : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
