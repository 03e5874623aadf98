// Shapes of the Zulip responses we read (docs/zulip-api.md §1, §2, §4).
// Objects are loose: servers add fields over time and we must not reject them.
// Built at their first use rather than when the background starts: it is woken far more often for a
// content script's credentials.get than to talk to a server, and building schemas is part of every start.
import * as z from 'zod/mini';
import { API_KEY_PATTERN } from './api-key-format';

function build() {
  const externalAuthMethod = z.looseObject({
    name: z.string(),
    display_name: z.string(),
    display_icon: z.nullish(z.string()),
    login_url: z.string(),
  });

  const serverSettings = z.looseObject({
    result: z.literal('success'),
    zulip_version: z.string(),
    zulip_feature_level: z.optional(z.number()),
    authentication_methods: z.optional(z.record(z.string(), z.boolean())),
    external_authentication_methods: z.optional(z.array(externalAuthMethod)),
    email_auth_enabled: z.optional(z.boolean()),
    require_email_format_usernames: z.optional(z.boolean()),
    realm_url: z.optional(z.string()),
    realm_uri: z.optional(z.string()),
    realm_name: z.optional(z.string()),
    realm_icon: z.optional(z.string()),
  });

  const apiKeyResponse = z.looseObject({
    result: z.literal('success'),
    api_key: z.string().check(z.regex(API_KEY_PATTERN)),
    email: z.string().check(z.minLength(1)),
    user_id: z.optional(z.int()),
  });

  const devUser = z.looseObject({
    email: z.string().check(z.minLength(1)),
    realm_url: z.optional(z.string()),
    realm_uri: z.optional(z.string()),
  });

  /** dev_list_users (§3): every realm's users on a development server, each with its realm's URL. */
  const devUsers = z.looseObject({
    result: z.literal('success'),
    direct_admins: z.array(devUser),
    direct_users: z.array(devUser),
  });

  const ownUser = z.looseObject({
    result: z.literal('success'),
    user_id: z.int(),
    email: z.optional(z.string()),
  });

  const errorBody = z.looseObject({
    result: z.literal('error'),
    msg: z.string(),
    code: z.optional(z.string()),
    /** Before feature level 76, fetch_api_key's refusals said why here instead of in code (§2). */
    reason: z.optional(z.string()),
    'retry-after': z.optional(z.number()),
  });
  return { serverSettings, apiKeyResponse, devUsers, ownUser, errorBody };
}

let built: ReturnType<typeof build> | undefined;
export const zulipSchemas = () => (built ??= build());

type Schemas = ReturnType<typeof build>;
export type ServerSettings = z.infer<Schemas['serverSettings']>;
export type ErrorBody = z.infer<Schemas['errorBody']>;
