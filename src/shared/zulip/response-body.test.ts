// Reading the body of an answer, from real Zulip answers (test/fixtures/zulip-responses.json).
import { describe, expect, it } from 'vitest';
import { zulipResponse, type ZulipResponseFixture } from '../../../test/fixtures/zulip-responses';
import type { ApiFailure } from './api-error';
import type { RawResponse } from './http';
import { errorBody, successBody } from './response-body';
import { zulipSchemas } from './schemas';

const raw = (fixture: Pick<ZulipResponseFixture, 'status' | 'headers' | 'body'>): RawResponse => ({
  status: fixture.status,
  headers: new Headers(fixture.headers),
  text: JSON.stringify(fixture.body),
});

/** What successBody throws for `answer`: an ApiError whose failure has the fields of `expected`. */
const refusal = (answer: RawResponse, expected: Partial<ApiFailure>) =>
  expect(() => successBody(answer, zulipSchemas().apiKeyResponse)).toThrow(expect.objectContaining({ name: 'ApiError', failure: expect.objectContaining(expected) }));

describe('successBody', () => {
  it('is the parsed JSON of a success that fits the schema', () => {
    const fixture = zulipResponse('fetch_api_key', 'success');
    expect(successBody(raw(fixture), zulipSchemas().apiKeyResponse)).toEqual(fixture.body);
  });

  it("throws Zulip's error with its code, or the code an old server's reason stands for", () => {
    refusal(raw(zulipResponse('fetch_api_key', 'error_wrong_password')), { kind: 'zulip', status: 401, code: 'AUTHENTICATION_FAILED' });
    refusal(raw(zulipResponse('fetch_api_key', 'legacy_wrong_password_pre_fl76')), { kind: 'zulip', status: 403, code: 'AUTHENTICATION_FAILED' });
  });

  it('rounds the delay of a rate limit up to whole seconds, from the body or from the header alone', () => {
    refusal({ status: 429, headers: new Headers(), text: JSON.stringify({ result: 'error', msg: '', code: 'RATE_LIMIT_HIT', 'retry-after': 2.1 }) }, { retryAfterSeconds: 3 });
    refusal({ status: 429, headers: new Headers({ 'Retry-After': '4.5' }), text: 'Too many requests' }, { kind: 'zulip', code: null, retryAfterSeconds: 5 });
  });

  it('tells a server fault, an answer that is not Zulip and one of the wrong shape apart', () => {
    refusal(raw(zulipResponse('users_me', 'error_internal_server_error')), { kind: 'server-error', status: 500 });
    refusal({ status: 200, headers: new Headers(), text: '<html></html>' }, { kind: 'not-zulip', status: 200 });
    refusal(raw({ status: 200, body: { result: 'success', api_key: 'short', email: 'a@b.c' } }), { kind: 'malformed', status: 200 });
  });
});

describe('errorBody', () => {
  it("is a Zulip error's fields, or null for anything else", () => {
    expect(errorBody(raw(zulipResponse('users_me', 'error_malformed_api_key')))).toMatchObject({ msg: 'Malformed API key', code: 'UNAUTHORIZED' });
    expect(errorBody(raw(zulipResponse('fetch_api_key', 'success')))).toBeNull();
    expect(errorBody({ status: 502, headers: new Headers(), text: 'Bad Gateway' })).toBeNull();
  });
});
