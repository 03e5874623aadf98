// Shapes of the Zulip responses we read (docs/zulip-api.md §1, §2, §4).
// Objects are loose: servers add fields over time and we must not reject them.
import * as z from 'zod/mini';
import { API_KEY_PATTERN } from './api-key-format';

const externalAuthMethod = z.looseObject({
  name: z.string(),
  display_name: z.string(),
  display_icon: z.nullish(z.string()),
  login_url: z.string(),
});

export const serverSettingsSchema = z.looseObject({
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
export type ServerSettings = z.infer<typeof serverSettingsSchema>;

export const apiKeyResponseSchema = z.looseObject({
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
export const devUsersSchema = z.looseObject({
  result: z.literal('success'),
  direct_admins: z.array(devUser),
  direct_users: z.array(devUser),
});

export const ownUserSchema = z.looseObject({
  result: z.literal('success'),
  user_id: z.int(),
  email: z.optional(z.string()),
});

export const errorBodySchema = z.looseObject({
  result: z.literal('error'),
  msg: z.string(),
  code: z.optional(z.string()),
  /** Before feature level 76, fetch_api_key's refusals said why here instead of in code (§2). */
  reason: z.optional(z.string()),
  'retry-after': z.optional(z.number()),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
