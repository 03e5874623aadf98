// The popup's views and the moves between them. Each view owns its own form state; this file
// owns what outlives a view: the account list, the status line and the saved draft (use-draft.ts).
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import type { AccountSummary, LockStatus } from '../shared/reply-values';
import type { RealmInfo } from '../shared/zulip/realm-info';
import { AccountList } from './AccountList';
import { lookUpServer, type FlowDeps } from './add-account';
import type { DraftStore } from '../shared/popup-draft';
import type { HostPermissions } from './host-permission';
import { t } from '../shared/i18n';
import { codeFor, LATER_VIEWS, SettingsView, SignInView, SsoWaitingView, UnlockView } from './later-views';
import { preloadWhenIdle } from './lazy-view';
import { opening } from './opening';
import type { TypeAhead } from './type-ahead';
import type { Resume } from './resume';
import { ServerStep } from './ServerStep';
import { useAccounts } from './use-accounts';
import { draftedUsername, useDraft } from './use-draft';
import type { View } from './view';

export interface AppDeps extends FlowDeps {
  hostPermissions: HostPermissions;
  drafts: DraftStore;
  typeAhead: TypeAhead;
}

export function App({ deps }: { deps: AppDeps }) {
  const [view, setView] = useState<View>({ kind: 'loading' });
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
  const draft = useDraft(deps.drafts);
  const list = useAccounts(deps.send, setStatus);

  /** The code for carrying on where a closed popup left off, loaded when there is something to carry on. */
  const resumer = async (): Promise<Resume> =>
    (await import('./resume')).resumeIn({ deps, show, setStatus, draft, signedIn, backToAccounts });

  const open = async () => {
    const first = await opening(deps);
    if (first.kind === 'unreadable') {
      list.setLoadError(first.message);
      setView({ kind: 'accounts' });
      return;
    }
    setLock(first.lock);
    if (first.kind === 'locked') {
      await show({ kind: 'locked' });
      return;
    }
    list.loaded(first.accounts);
    if (first.kind === 'resume') await (await resumer()).resume(first.saved, first.sso);
    else setView({ kind: 'accounts' });
    await list.checkStale();
  };

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
    await list.load();
    setView({ kind: 'accounts' });
    setStatus(message);
    setFocusHeading((n) => n + 1);
  };

  const openSettings = () => {
    setStatus('');
    void show({ kind: 'settings' });
  };

  const startAdding = () => {
    setStatus('');
    setView({ kind: 'server', serverUrl: '', error: null, resumeOrigin: null });
  };

  const backToAccounts = () => {
    draft.clear();
    setView({ kind: 'accounts' });
    setFocusHeading((n) => n + 1);
  };

  const signedIn = (account: AccountSummary, replaced: AccountSummary | null) => {
    draft.clear();
    const message = t('popup_signed_in', account.realmName, account.email);
    void showAccounts(replaced ? `${message} ${t('popup_signed_in_replaced', replaced.email)}` : message);
  };

  /** The sign-in step at the organization found, saved in the draft first. */
  const signInAt = (serverUrl: string, { origin, realm }: { origin: string; realm: RealmInfo }, username: string, focusPassword?: true) => {
    draft.save({ step: 'signin', serverUrl, origin, realm, username });
    return show({ kind: 'signin', serverUrl, origin, realm, username, error: null, focusPassword });
  };

  /** From the click: lookUpServer asks for any permission before it awaits. */
  const signInAgain = async (account: AccountSummary): Promise<string | null> => {
    setStatus('');
    const serverUrl = account.realmUrl;
    const outcome = await lookUpServer(serverUrl, deps, (origin) => draft.server.onBeforePrompt(serverUrl, origin));
    if (!outcome.ok) return outcome.message;
    await signInAt(serverUrl, outcome, account.email, true);
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
          list={list}
          send={deps.send}
          focusHeading={focusHeading}
          onAdd={startAdding}
          onRemoved={(account) => void showAccounts(t('popup_removed', account.email, account.realmName))}
          onSignInAgain={signInAgain}
          onSettings={lock ? openSettings : undefined}
        />
      );
      break;
    case 'server':
      content = (
        <ServerStep
          deps={deps}
          step={view}
          canGoBack={list.accounts.length > 0 || list.loadError !== null}
          {...draft.server}
          onFound={(serverUrl, origin, realm) => void signInAt(serverUrl, { origin, realm }, draftedUsername(draft.current(), ''))}
          onBack={backToAccounts}
        />
      );
      break;
    case 'sso':
      content = (
        <SsoWaitingView.View
          flow={view.flow}
          send={deps.send}
          onEnded={(outcome) => void resumer().then((resume) => resume.afterFlow(view.flow, outcome))}
          onCancelled={() => void resumer().then((resume) => resume.cancelled(view.flow))}
        />
      );
      break;
    case 'signin':
      content = (
        <SignInView.View
          deps={deps}
          step={view}
          draft={draft}
          onSignedIn={signedIn}
          onSsoStarted={(flow) => void show({ kind: 'sso', flow })}
          onBack={() => {
            draft.clear();
            setView({ kind: 'server', serverUrl: view.serverUrl, error: null, resumeOrigin: null });
          }}
        />
      );
      break;
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
