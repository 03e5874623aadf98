// Where a reopened popup carries on: at the step a draft was saved at, or after a sign-in or a
// single sign-on that went on without it. Loaded only then: most openings show the list.
import type { AccountSummary, SsoFlowSummary, SsoOutcome } from '../shared/reply-values';
import type { Reply, ReplyMap } from '../shared/messages';
import { withoutSigningIn } from './draft-settled';
import { originPermissionPattern } from '../shared/realm-url';
import type { Send } from '../shared/message-client';
import type { Draft, DraftStore } from '../shared/popup-draft';
import type { HostPermissions } from './host-permission';
import type { DraftHandle } from './use-draft';
import type { View } from './view';
import { t } from '../shared/i18n';

export interface ResumeHost {
  deps: { send: Send; hostPermissions: Pick<HostPermissions, 'holds'>; drafts: Pick<DraftStore, 'load'> };
  show(view: View): Promise<void>;
  setStatus(text: string, problem?: boolean): void;
  draft: Pick<DraftHandle, 'save' | 'keep'>;
  signedIn(account: AccountSummary, replaced: AccountSummary | null): void;
  /** The list, the draft gone. */
  backToAccounts(): void;
}

export type Resume = ReturnType<typeof resumeIn>;

export function resumeIn(host: ResumeHost) {
  const { deps, show, setStatus, draft } = host;

  /** Shows the step a draft was saved at; `shown` are the errors of what happened since. */
  const restore = async (saved: Draft, shown: { error?: string; ssoError?: string } = {}) => {
    // The popup closed while a permission prompt was up: the answer is only visible now.
    const pending = saved.awaitingPermission;
    const held = pending === undefined || (await deps.hostPermissions.holds(originPermissionPattern(pending)));
    const error = held ? (shown.error ?? null) : t('error_permission_denied', pending ?? '');
    const { awaitingPermission: _, ...rest } = saved;
    const settled: Draft = rest.step === 'signin' ? withoutSigningIn(rest) : rest;
    if (pending !== undefined || (saved.step === 'signin' && saved.signingIn === true)) draft.save(settled);
    else draft.keep(settled);
    if (settled.step === 'server') {
      await show({ kind: 'server', serverUrl: settled.serverUrl, error, resumeOrigin: held && pending !== undefined ? pending : null });
    } else {
      await show({ kind: 'signin', ...settled, error, ssoError: shown.ssoError ?? null });
    }
  };

  /**
   * The popup closed while a sign-in (password, pasted key, development login) was under way; the
   * background finished it (or is finishing it: the answer waits for the end) and kept how it ended.
   */
  const afterSignIn = async (saved: Extract<Draft, { step: 'signin' }>) => {
    const reply = await deps.send({ type: 'account.signInOutcome' });
    const outcome = reply.ok ? reply.outcome : null;
    if (outcome?.ok) {
      host.signedIn(outcome.account, outcome.replaced);
      return;
    }
    const error = outcome?.realmUrl === saved.realm.realmUrl ? outcome.error.message : t('popup_sign_in_unfinished', saved.realm.name);
    // The reason goes with the password form, or where there is none, to the status line.
    if (saved.realm.passwordAuth) {
      await restore(saved, { error });
    } else {
      await restore(saved);
      setStatus(error, true);
    }
  };

  /**
   * Where the popup goes after a single sign-on flow: its tab is still open, it signed in, or it
   * failed (back to the organization's sign-in step when the draft still holds it). The draft is
   * read again: the popup may have been closed since the flow started.
   */
  const afterSso = async (status: Reply<'sso.status'>, saved: Draft | null): Promise<boolean> => {
    if (!status.ok) return false;
    if (status.flow) {
      await show({ kind: 'sso', flow: status.flow });
      return true;
    }
    const { outcome } = status;
    if (outcome === null) return false;
    if (outcome.ok) {
      host.signedIn(outcome.account, outcome.replaced);
      return true;
    }
    if (saved?.step === 'signin' && saved.realm.realmUrl === outcome.realmUrl) {
      await restore(saved, { ssoError: outcome.error.message });
    } else {
      await show({ kind: 'accounts' });
      setStatus(outcome.error.message, true);
    }
    return true;
  };

  /** On opening, when there is a draft or a flow's news: the flow's own news comes first. */
  const resume = async (saved: Draft | null, sso: ReplyMap['sso.status']) => {
    if (await afterSso({ ok: true, ...sso }, saved)) return;
    if (saved?.step === 'signin' && saved.signingIn) await afterSignIn(saved);
    else if (saved) await restore(saved);
  };

  /**
   * Back from a flow that ended without news of its own, or was cancelled: to the organization's
   * sign-in step when the draft still holds it, else to the list. The draft is read again: the
   * popup may have been closed since the flow started.
   */
  const backToOrganization = async (flow: SsoFlowSummary) => {
    const draft = await deps.drafts.load();
    if (draft?.step === 'signin' && draft.realm.realmUrl === flow.realmUrl) await restore(draft);
    else host.backToAccounts();
  };

  /** The flow the popup was waiting for (SsoWaiting.tsx) ended with `outcome`. */
  const afterFlow = async (flow: SsoFlowSummary, outcome: SsoOutcome | null) => {
    const saved = await deps.drafts.load();
    if (!(await afterSso({ ok: true, flow: null, outcome }, saved))) await backToOrganization(flow);
  };

  /** The person cancelled the flow the popup was waiting for. */
  const cancelled = async (flow: SsoFlowSummary) => {
    setStatus(t('popup_sso_cancelled', flow.realmName));
    await backToOrganization(flow);
  };

  return { resume, afterFlow, cancelled };
}
