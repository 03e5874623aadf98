// The popup's add-account draft (shared/popup-draft.ts), whose code is loaded only when there is a
// draft to read or one to write: most openings have none, and the first view does without it.
import type { DraftStore, StorageAreaLike } from '../shared/popup-draft';
import { DRAFT_KEY } from '../shared/popup-draft-key';

export function createLazyDraftStore(area: StorageAreaLike | undefined): DraftStore {
  const store = () => import('../shared/popup-draft').then(({ createDraftStore }) => createDraftStore(area));
  return {
    async load() {
      let saved: unknown;
      try {
        saved = (await area?.get(DRAFT_KEY))?.[DRAFT_KEY];
      } catch {
        // As createDraftStore does: an unreadable draft is no draft.
        return null;
      }
      return saved === undefined ? null : (await import('../shared/popup-draft')).parseDraft(saved);
    },
    save: async (draft) => (await store()).save(draft),
    clear: async () => (await store()).clear(),
  };
}
