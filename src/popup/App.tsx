// The popup's views and the moves between them. Each view owns its own form state; this file
// owns what outlives a view: the account list, the status line and the saved draft.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { AccountSummary, LockStatus, Reply, SsoFlowSummary } from '../shared/messages';
import { originPermissionPattern } from '../shared/realm-url';
import type { RealmInfo } from '../shared/zulip/api-client';
import { quietCheckAnnouncement, verdictAnnouncement } from './account-check';
import { AccountList } from './AccountList';
import { lookUpServer, type FlowDeps } from './add-account';
import type { Draft, DraftStore } from '../shared/popup-draft';
import type { HostPermissions } from './host-permission';
import { t } from './i18n';
import { LATER_VIEWS, SettingsView, SignInView, SsoWaitingView, UnlockView } from './later-views';
import { preloadWhenIdle } from './lazy-view';
import type { TypeAhead } from './type-ahead';
import { ServerStep } from './ServerStep';

export interface AppDeps extends FlowDeps {
  hostPermissions: HostPermissions;
  drafts: DraftStore;
  typeAhead: TypeAhead;
}

type View =
  | { kind: 'loading' }
  | { kind: 'accounts' }
  | { kind: 'server'; serverUrl: string; error: string | null; resumeOrigin: string | null }
  | {
      kind: 'signin';
      serverUrl: string;
      origin: string;
      realm: RealmInfo;
      username: string;
      error: string | null;
      ssoError?: string | null;
      focusPassword?: boolean;
    }
  | { kind: 'sso'; flow: SsoFlowSummary }
  | { kind: 'locked' }
  | { kind: 'settings' };

/** The code a view needs before it can show at once: the later views' (later-views.ts). */
function codeFor(view: View): Promise<void> {
  switch (view.kind) {
    case 'locked':
      return UnlockView.load();
    case 'settings':
      return SettingsView.load();
    case 'signin':
      return SignInView.load();
    case 'sso':
      return SsoWaitingView.load();
    default:
      return Promise.resolve();
  }
}

export function App({ deps }: { deps: AppDeps }) {
  const [view, setView] = useState<View>({ kind: 'loading' });
  const [accounts, setAccounts] = useState<AccountSummary[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [lock, setLock] = useState<LockStatus | null>(null);
  // A refused key is news too, but not good news: it is announced the same way, styled as a problem.
  const [status, setStatusLine] = useState<{ text: string; problem: boolean }>({ text: '', problem: false });
  const setStatus = (text: string, problem = false) => setStatusLine({ text, problem });
  const [focusHeading, setFocusHeading] = useState(0);
  // A view loaded on demand is shown once its code is in: never empty, its field focused as it
  // appears (the keys typed before the first view go there too). Usually loaded already, when idle.
  const show = async (next: View) => {
    await codeFor(next);
    setView(next);
  };
  // The draft as last saved, so that each change writes a whole draft without a re-render.
  const draft = useRef<Draft | null>(null);

  const saveDraft = (next: Draft) => {
    draft.current = next;
    void deps.drafts.save(next);
  };
  const clearDraft = () => {
    draft.current = null;
    void deps.drafts.clear();
  };

  /** The list as read, or null when it could not be. */
  const loadAccounts = async (): Promise<AccountSummary[] | null> => {
    const reply = await deps.send({ type: 'accounts.list' });
    if (reply.ok) {
      setAccounts(reply.accounts);
      setLoadError(null);
      return reply.accounts;
    }
    setLoadError(reply.error.message);
    return null;
  };

  // Quietly: the background checks only the accounts not checked in the last hour, and the popup
  // speaks only of keys refused and checks that failed.
  const checkStaleAccounts = async () => {
    const reply = await deps.send({ type: 'accounts.checkStale' });
    if (!reply.ok || (reply.checked.length === 0 && reply.failures.length === 0)) return;
    const list = await loadAccounts();
    const announcement = quietCheckAnnouncement(reply, list ?? [], t);
    if (announcement) setStatus(announcement, true);
  };

  /** Shows the step a draft was saved at; `shown` are the errors of what happened since. */
  const restore = async (saved: Draft, shown: { error?: string; ssoError?: string } = {}) => {
    // The popup closed while a permission prompt was up: the answer is only visible now.
    const pending = saved.awaitingPermission;
    const held = pending === undefined || (await deps.hostPermissions.holds(originPermissionPattern(pending)));
    const error = held ? (shown.error ?? null) : t('error_permission_denied', pending ?? '');
    const { awaitingPermission: _, ...rest } = saved;
    const settled: Draft = rest.step === 'signin' ? withoutSigningIn(rest) : rest;
    if (pending !== undefined || (saved.step === 'signin' && saved.signingIn === true)) saveDraft(settled);
    else draft.current = settled;
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
      signedIn(outcome.account, outcome.replaced);
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
      signedIn(outcome.account, outcome.replaced);
      return true;
    }
    if (saved?.step === 'signin' && saved.realm.realmUrl === outcome.realmUrl) {
      await restore(saved, { ssoError: outcome.error.message });
    } else {
      setView({ kind: 'accounts' });
      setStatus(outcome.error.message, true);
    }
    return true;
  };

  /** What the first view depends on: one message to the background, and the draft read meanwhile. */
  const open = async () => {
    const [reply, saved] = await Promise.all([deps.send({ type: 'popup.open' }), deps.drafts.load()]);
    if (!reply.ok) {
      // As when the list alone cannot be read: the list view says why, with Retry.
      setLoadError(reply.error.message);
      setView({ kind: 'accounts' });
      return;
    }
    setLock(reply.lock);
    if (reply.unlocked === null) {
      await show({ kind: 'locked' });
      return;
    }
    setAccounts(reply.unlocked.accounts);
    setLoadError(null);
    await start(saved, { ok: true, ...reply.unlocked.sso });
  };

  const start = async (saved: Draft | null, sso: Reply<'sso.status'>) => {
    if (await afterSso(sso, saved)) {
      // Shown: the flow's own news comes first.
    } else if (saved?.step === 'signin' && saved.signingIn) await afterSignIn(saved);
    else if (saved) await restore(saved);
    else setView({ kind: 'accounts' });
    await checkStaleAccounts();
  };

  // Locked, the unlock form comes before anything else: the list, a draft, a flow's news. The
  // background answers only the lock then, and keeps a flow's news for after the unlock (sso-flow.ts).
  useEffect(() => {
    void open();
  }, []);

  // After the first view's own layout effects, which focus its field: what was typed while loading goes there.
  const shown = view.kind !== 'loading';
  useLayoutEffect(() => {
    if (!shown) return;
    deps.typeAhead.release();
    preloadWhenIdle(LATER_VIEWS);
  }, [shown]);

  const lockChanged = (next: LockStatus, message: string) => {
    setLock(next);
    setStatus(message);
    if (next.locked) void show({ kind: 'locked' });
  };

  const showAccounts = async (message: string) => {
    await loadAccounts();
    setView({ kind: 'accounts' });
    setStatus(message);
    setFocusHeading((n) => n + 1);
  };

  const startAdding = () => {
    setStatus('');
    setView({ kind: 'server', serverUrl: '', error: null, resumeOrigin: null });
  };

  const backToAccounts = () => {
    clearDraft();
    setView({ kind: 'accounts' });
    setFocusHeading((n) => n + 1);
  };

  const signedIn = (account: AccountSummary, replaced: AccountSummary | null) => {
    clearDraft();
    const message = t('popup_signed_in', account.realmName, account.email);
    void showAccounts(replaced ? `${message} ${t('popup_signed_in_replaced', replaced.email)}` : message);
  };

  const checked = (account: AccountSummary) => {
    setAccounts((list) => list.map((listed) => (listed.realmUrl === account.realmUrl && listed.userId === account.userId ? account : listed)));
    setStatus(verdictAnnouncement(account, t), account.credentialStatus !== 'valid');
  };

  /** From the click: lookUpServer asks for any permission before it awaits. */
  const signInAgain = async (account: AccountSummary): Promise<string | null> => {
    setStatus('');
    const serverUrl = account.realmUrl;
    const outcome = await lookUpServer(serverUrl, deps, (origin) => saveDraft({ step: 'server', serverUrl, awaitingPermission: origin }));
    if (!outcome.ok) return outcome.message;
    const { origin, realm } = outcome;
    saveDraft({ step: 'signin', serverUrl, origin, realm, username: account.email });
    await show({ kind: 'signin', serverUrl, origin, realm, username: account.email, error: null, focusPassword: true });
    return null;
  };

  let content;
  switch (view.kind) {
    case 'loading':
      content = <p class="muted loading">{t('popup_loading')}</p>;
      break;
    case 'locked':
      content = (
        <UnlockView.View
          send={deps.send}
          onUnlocked={(next) => {
            setLock(next);
            setStatus('');
            void open();
          }}
        />
      );
      break;
    case 'settings':
      content = lock && <SettingsView.View send={deps.send} status={lock} onChanged={lockChanged} onBack={backToAccounts} />;
      break;
    case 'accounts':
      content = (
        <AccountList
          accounts={accounts}
          loadError={loadError}
          send={deps.send}
          focusHeading={focusHeading}
          onAdd={startAdding}
          onRetry={() => void loadAccounts()}
          onRemoved={(account) => void showAccounts(t('popup_removed', account.email, account.realmName))}
          onChecked={checked}
          onMadeDefault={async (account) => {
            await loadAccounts();
            setStatus(t('popup_made_default', account.email, account.realmName));
          }}
          onSignInAgain={signInAgain}
          onSettings={
            lock
              ? () => {
                  setStatus('');
                  void show({ kind: 'settings' });
                }
              : undefined
          }
        />
      );
      break;
    case 'server':
      content = (
        <ServerStep
          deps={deps}
          initialUrl={view.serverUrl}
          initialError={view.error}
          resumeOrigin={view.resumeOrigin}
          canGoBack={accounts.length > 0 || loadError !== null}
          onUrlChange={(serverUrl) => saveDraft({ step: 'server', serverUrl })}
          onBeforePrompt={(serverUrl, origin) => saveDraft({ step: 'server', serverUrl, awaitingPermission: origin })}
          onFound={(serverUrl, origin, realm) => {
            const username = draft.current?.step === 'signin' ? draft.current.username : '';
            saveDraft({ step: 'signin', serverUrl, origin, realm, username });
            void show({ kind: 'signin', serverUrl, origin, realm, username, error: null });
          }}
          onBack={backToAccounts}
        />
      );
      break;
    case 'sso': {
      const { flow } = view;
      const backToOrganization = async (ssoError: string | null) => {
        const saved = await deps.drafts.load();
        if (saved?.step === 'signin' && saved.realm.realmUrl === flow.realmUrl) await restore(saved, ssoError === null ? {} : { ssoError });
        else backToAccounts();
      };
      content = (
        <SsoWaitingView.View
          flow={flow}
          send={deps.send}
          onEnded={(outcome) => {
            void (async () => {
              if (!(await afterSso({ ok: true, flow: null, outcome }, await deps.drafts.load()))) await backToOrganization(null);
            })();
          }}
          onCancelled={() => {
            setStatus(t('popup_sso_cancelled', flow.realmName));
            void backToOrganization(null);
          }}
        />
      );
      break;
    }
    case 'signin': {
      const { serverUrl, origin, realm } = view;
      const typedUsername = () => (draft.current?.step === 'signin' ? draft.current.username : view.username);
      content = (
        <SignInView.View
          deps={deps}
          realm={realm}
          origin={origin}
          initialUsername={view.username}
          initialError={view.error}
          ssoError={view.ssoError ?? null}
          focusPassword={view.focusPassword === true}
          onUsernameChange={(username) => saveDraft({ step: 'signin', serverUrl, origin, realm, username })}
          onBeforePrompt={(realmOrigin) => saveDraft({ step: 'signin', serverUrl, origin, realm, username: typedUsername(), awaitingPermission: realmOrigin })}
          onSending={() => saveDraft({ step: 'signin', serverUrl, origin, realm, username: typedUsername(), signingIn: true })}
          onSettled={() => {
            if (draft.current?.step === 'signin') saveDraft(withoutSigningIn(draft.current));
          }}
          onSignedIn={signedIn}
          onSsoStarted={(flow) => void show({ kind: 'sso', flow })}
          onBack={() => {
            clearDraft();
            setView({ kind: 'server', serverUrl, error: null, resumeOrigin: null });
          }}
        />
      );
      break;
    }
  }

  return (
    <main aria-busy={view.kind === 'loading'}>
      <p class={status.problem ? 'status problem' : 'status'} role="status" aria-live="polite">
        {status.text}
      </p>
      {content}
    </main>
  );
}

function withoutSigningIn({ signingIn: _, ...draft }: Extract<Draft, { step: 'signin' }>): Draft {
  return draft;
}
