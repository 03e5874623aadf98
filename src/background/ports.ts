// The browser as the background's modules see it: the narrow shapes they take in place of
// webextension-polyfill's objects, so that tests hand them the fake browser or a stand-in, and the
// ports deps.ts builds the background from.
import type { StorageAreaLike } from '../shared/storage-area';
import type { FirstRedirect } from './sso/completion-origin';

/**
 * The area's own onChanged (storage.local.onChanged), not storage.onChanged: a listener wakes a
 * stopped background, and the popup writes storage.session as a person types.
 */
export interface StorageChangedEvent {
  addListener(listener: (changes: Record<string, unknown>) => void): void;
}

export interface ScriptingLike {
  registerContentScripts(scripts: Array<{ id: string; matches: string[]; js: string[]; runAt: 'document_idle'; allFrames: boolean; persistAcrossSessions: boolean }>): Promise<void>;
  getRegisteredContentScripts(): Promise<Array<{ id: string }>>;
  unregisterContentScripts(filter: { ids: string[] }): Promise<void>;
}

export interface TabsLike {
  create(properties: { url: string; active: boolean }): Promise<{ id?: number }>;
  remove(tabId: number): Promise<void>;
}

export interface AlarmsLike {
  create(name: string, info: { when: number }): Promise<void> | void;
  clear(name: string): Promise<unknown>;
}

/** One webRequest event, with the details its listeners get. */
export interface WebRequestEvent<D> {
  addListener(listener: (details: D) => void, filter: { urls: string[]; types?: string[] }, extraInfoSpec?: string[]): void;
  removeListener(listener: (details: D) => void): void;
}

/** onHeadersReceived's details, as far as the background reads them. */
export interface HeadersDetails {
  url: string;
  tabId: number;
  statusCode: number;
  responseHeaders?: Array<{ name: string; value?: string }>;
}

/** The Location a response carries, if any (header names are case-insensitive). */
export function locationHeader(details: Pick<HeadersDetails, 'responseHeaders'>): string | undefined {
  return details.responseHeaders?.find((header) => header.name.toLowerCase() === 'location')?.value;
}

/** Everything the background's modules need from the browser (see createBackgroundDeps). */
export interface BackgroundPorts {
  local: StorageAreaLike;
  localChanged: StorageChangedEvent;
  session: StorageAreaLike;
  alarms: AlarmsLike;
  scripting: ScriptingLike;
  tabs: TabsLike;
  permissions: { contains(permissions: { origins: string[] }): Promise<boolean> };
  i18n: { getMessage(key: string, substitutions?: string | string[]): string; getUILanguage(): string };
  now(): number;
  /** Where a URL redirects to, without following it (redirect-probe.ts). */
  firstRedirect: FirstRedirect;
}
