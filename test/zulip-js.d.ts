// The part of zulip-js (Zulip's JavaScript client, CommonJS, without types) the tests use.
declare module 'zulip-js' {
  interface ZulipJsClient {
    /** What zulip-js read from the zuliprc: `realm` is `site`, `username` is `email`. */
    config: { realm: string; username: string; apiKey: string; apiURL: string };
    users: { me: { getProfile(): Promise<Record<string, unknown>> } };
  }
  export default function zulip(config: { zuliprc: string }): Promise<ZulipJsClient>;
}
