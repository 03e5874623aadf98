// What the sign-in step tells the draft (use-draft.ts), so that a popup closed during a prompt or a
// sign-in carries on where it was.
import { withoutSigningIn } from './draft-settled';
import { draftedUsername, type DraftHandle } from './use-draft';
import type { SignInView } from './view';

export function signInDraft(draft: Pick<DraftHandle, 'save' | 'current'>, { serverUrl, origin, realm, username: shown }: SignInView) {
  const at = (username: string) => ({ step: 'signin', serverUrl, origin, realm, username }) as const;
  const typed = () => draftedUsername(draft.current(), shown);
  return {
    onUsernameChange: (username: string) => draft.save(at(username)),
    /** A permission prompt may close the popup now. */
    onBeforePrompt: (realmOrigin: string) => draft.save({ ...at(typed()), awaitingPermission: realmOrigin }),
    /** A sign-in is under way: the draft must say so, in case the popup closes before it ends. */
    onSending: () => draft.save({ ...at(typed()), signingIn: true }),
    /** It ended without an account, and its form shows why: the draft's mark goes. */
    onSettled: () => {
      const current = draft.current();
      if (current?.step === 'signin') draft.save(withoutSigningIn(current));
    },
  };
}
