import type { Draft } from '../shared/popup-draft';

/** The draft once its sign-in has ended, one way or the other. */
export function withoutSigningIn({ signingIn: _, ...draft }: Extract<Draft, { step: 'signin' }>): Draft {
  return draft;
}
