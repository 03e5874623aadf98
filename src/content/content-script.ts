// Runs in the isolated world of each signed-in realm's pages (registered per realm by the
// background). Pages cannot see this world; the extension's own scripts injected into the same
// tab share it and reach the client here, which is the only way they obtain credentials.
import browser from 'webextension-polyfill';
import { provideExtensionApi } from '../shared/extension-api';
import { getCredentials } from './credentials-client';

declare global {
  var keyringForZulip: { getCredentials: typeof getCredentials } | undefined;
}

provideExtensionApi(browser);
globalThis.keyringForZulip ??= Object.freeze({ getCredentials });
