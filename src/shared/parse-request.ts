// How the background reads a message: which request it is, checked against that type's schema
// (messages.ts) alone, built the first time a request of the type arrives and kept.
import type * as z from 'zod/mini';
import { requestSchemas, type Request } from './messages';

type RequestSchemas = typeof requestSchemas;

const built = new Map<string, z.ZodMiniType<Request>>();

/**
 * The request a message is, or null when it is none: its type must be one of ours (an own key of
 * requestSchemas) and the whole message must match that type's schema, as a discriminated union
 * of them all would check it.
 */
export function parseRequest(message: unknown): Request | null {
  const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !Object.hasOwn(requestSchemas, type)) return null;
  let schema = built.get(type);
  if (!schema) {
    schema = requestSchemas[type as keyof RequestSchemas]() as z.ZodMiniType<Request>;
    built.set(type, schema);
  }
  const parsed = schema.safeParse(message);
  return parsed.success ? parsed.data : null;
}
