// What a Zulip API key looks like (zerver/lib/utils.py has_api_key_format): 32 letters and digits.
// A module of its own, without zod, so that the popup can check a pasted key without loading the
// response schemas.
export const API_KEY_PATTERN = /^[A-Za-z0-9]{32}$/;
