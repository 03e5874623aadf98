// The few extension APIs that code shared between the parts calls, handed in by each part's entry
// file: only the entry files import webextension-polyfill, so everything else runs in unit tests
// on whatever stands in for the browser there (test/unit/setup.ts).
export interface ExtensionApi {
  runtime: { sendMessage(message: unknown): Promise<unknown>; getURL(path: string): string };
  i18n: { getMessage(key: string, substitutions?: string[]): string; getUILanguage(): string };
  /** The popup's alone: content scripts have none (and never call it). */
  tabs: { create(properties: { url: string }): Promise<unknown> };
}

// Set before anything reads it: the entry files call provideExtensionApi first.
let api: ExtensionApi;

export function provideExtensionApi(given: ExtensionApi): void {
  api = given;
}

export const extensionApi = (): ExtensionApi => api;
