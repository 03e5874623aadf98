// The popup's views and the moves between them. Each view owns its own form state; this file
// owns what outlives a view: the account list, the status line and the saved draft.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ReplyMap } from '../shared/messages';
import type { AccountSummary, LockStatus, SsoFlowSummary } from '../shared/reply-values';
import type { RealmInfo } from '../shared/zulip/realm-info';
import { quietCheckAnnouncement, verdictAnnouncement } from './account-check';
import { AccountList } from './AccountList';
import { lookUpServer, type FlowDeps } from './add-account';
import type { Draft, DraftStore } from '../shared/popup-draft';
import { withoutSigningIn } from './draft-settled';
import type { HostPermissions } from './host-permission';
import { t } from './i18n';
import { LATER_VIEWS, SettingsView, SignInView, SsoWaitingView, UnlockView } from './later-views';
import { preloadWhenIdle } from './lazy-view';
import type { TypeAhead } from './type-ahead';
import type { Resume } from './resume';
import { ServerStep } from './ServerStep';

export interface AppDeps extends FlowDeps {
  hostPermissions: HostPermissions;
  drafts: DraftStore;
  typeAhead: TypeAhead;
}

export type View =
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

  /** The code for carrying on where a closed popup left off, loaded when there is something to carry on. */
  const resumer = async (): Promise<Resume> =>
    (await import('./resume')).resumeIn({
      deps,
      show,
      showList: (problem) => {
        setView({ kind: 'accounts' });
        setStatus(problem, true);
      },
      setStatus,
      saveDraft,
      keepDraft: (saved) => {
        draft.current = saved;
      },
      signedIn,
    });

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
    await start(saved, reply.unlocked.sso);
  };

  const start = async (saved: Draft | null, sso: ReplyMap['sso.status']) => {
    if (saved !== null || sso.flow !== null || sso.outcome !== null) await (await resumer()).resume(saved, { ok: true, ...sso });
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
        if (saved?.step === 'signin' && saved.realm.realmUrl === flow.realmUrl) await (await resumer()).restore(saved, ssoError === null ? {} : { ssoError });
        else backToAccounts();
      };
      content = (
        <SsoWaitingView.View
          flow={flow}
          send={deps.send}
          onEnded={(outcome) => {
            void (async () => {
              const [resume, saved] = await Promise.all([resumer(), deps.drafts.load()]);
              if (!(await resume.afterSso({ ok: true, flow: null, outcome }, saved))) await backToOrganization(null);
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
