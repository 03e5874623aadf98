// The part of a browser storage area (storage.local, storage.session) the extension uses: what the
// background's stores and the popup's draft take, so that tests can hand them a stand-in.
export interface StorageAreaLike {
  get(keys?: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}
