// The manifest's content security policy forbids compiling code from strings, so zod's generated
// parsers are out of reach anyway. Saying so up front spares zod its probe (a `new Function` at the
// first object schema built, which the browser reports as a CSP violation) and the check at every
// object schema. It must run before any schema is built: background.ts imports it first.
import * as z from 'zod/mini';

z.config({ jitless: true });
