// The draft of an account being added (shared/popup-draft.ts), as the popup's views change it: a
// popup closed mid-way (by a permission prompt, a click elsewhere) carries on from it when reopened.
import { useRef } from 'preact/hooks';
import type { Draft, DraftStore } from '../shared/popup-draft';

export type DraftHandle = ReturnType<typeof useDraft>;

export function useDraft(drafts: DraftStore) {
  // The draft as last saved, so that each change writes a whole draft without a re-render.
  const draft = useRef<Draft | null>(null);
  const save = (next: Draft) => {
    draft.current = next;
    void drafts.save(next);
  };
  return {
    save,
    /** The draft as it stands, already in storage. */
    keep(saved: Draft) {
      draft.current = saved;
    },
    clear() {
      draft.current = null;
      void drafts.clear();
    },
    current: () => draft.current,
    /** What the server step tells the draft. */
    server: {
      onUrlChange: (serverUrl: string) => save({ step: 'server', serverUrl }),
      onBeforePrompt: (serverUrl: string, origin: string) => save({ step: 'server', serverUrl, awaitingPermission: origin }),
    },
  };
}

/** The username typed last at the sign-in step, else `otherwise`. */
export function draftedUsername(draft: Draft | null, otherwise: string): string {
  return draft?.step === 'signin' ? draft.username : otherwise;
}
