import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { RealmInfo } from '../shared/zulip/realm-info';
import type { ServerView } from './view';
import { fetchRealm, hostLookupAsksFor, lookUpServer, type FlowDeps, type LookupOutcome } from './add-account';
import type { HostPermissions } from './host-permission';
import { t } from '../shared/i18n';
import { FormAlert } from './FormAlert';
import { SideButton, SubmitRow } from './FormActions';
import { PermissionNote } from './PermissionNote';
import { useRequest } from './use-request';
import './forms.css';

interface Props {
  deps: FlowDeps & { hostPermissions: Pick<HostPermissions, 'isGranted' | 'promptClosesPopup'> };
  /** The URL, error and origin to resume with, as the step opens. */
  step: ServerView;
  canGoBack: boolean;
  onUrlChange(serverUrl: string): void;
  /** A permission prompt may close the popup now: the draft must say where we were. */
  onBeforePrompt(serverUrl: string, origin: string): void;
  onFound(serverUrl: string, origin: string, realm: RealmInfo): void;
  onBack(): void;
}

export function ServerStep(props: Props) {
  const { deps, canGoBack, onBack } = props;
  const { serverUrl: initialUrl, error: initialError, resumeOrigin } = props.step;
  const [url, setUrl] = useState(initialUrl);
  // What the field holds now, for answers that arrive after the person typed on.
  const typed = useRef(initialUrl);
  const { busy, error, setError, run } = useRequest<{ message: string; inputProblem: boolean }>(
    initialError === null ? null : { message: initialError, inputProblem: false },
  );
  const inputRef = useRef<HTMLInputElement>(null);
  const fieldId = useId();
  const hintId = useId();
  const errorId = useId();
  const noteId = useId();

  const finish = (outcome: LookupOutcome, looked: string) => {
    if (outcome.ok) {
      props.onFound(looked, outcome.origin, outcome.realm);
      return;
    }
    // Re-saving drops the draft's awaitingPermission mark: the prompt, if any, has been answered.
    // What the field holds now is saved, not what was looked up: the person may have typed on.
    props.onUrlChange(typed.current);
    setError(outcome);
    inputRef.current?.focus();
  };

  useLayoutEffect(() => {
    inputRef.current?.focus();
    if (resumeOrigin === null) return;
    run(
      () => fetchRealm(resumeOrigin, deps),
      (outcome) => {
        // Typed over while the popup was carrying on by itself (a person, or a password manager
        // filling the field as the popup appears): what they typed wins, and the answer is dropped.
        if (typed.current === initialUrl) finish(outcome, initialUrl);
      },
    );
  }, []);

  const submit = (event: Event) => {
    event.preventDefault();
    const looked = url;
    // Synchronously inside the submit event: lookUpServer asks for the permission before it awaits.
    run(
      () => lookUpServer(looked, deps, (origin) => props.onBeforePrompt(looked, origin)),
      (outcome) => finish(outcome, looked),
    );
  };

  const invalid = error?.inputProblem === true;
  const asking = hostLookupAsksFor(url, deps.hostPermissions);
  const describedBy = [invalid ? errorId : '', hintId, asking === null ? '' : noteId].filter(Boolean).join(' ');
  return (
    <section class="view" aria-labelledby="server-heading">
      <h1 id="server-heading">{t('popup_add_heading')}</h1>
      <form onSubmit={submit} noValidate>
        <label for={fieldId}>{t('popup_server_url_label')}</label>
        <input
          id={fieldId}
          ref={inputRef}
          type="text"
          inputMode="url"
          autocomplete="url"
          autocapitalize="off"
          spellcheck={false}
          value={url}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onInput={(event) => {
            const value = event.currentTarget.value;
            typed.current = value;
            setUrl(value);
            props.onUrlChange(value);
          }}
        />
        <p id={hintId} class="hint">
          {t('popup_server_url_hint')}
        </p>
        {asking !== null && <PermissionNote id={noteId} asking={t('popup_permission_note', asking)} promptClosesPopup={deps.hostPermissions.promptClosesPopup} />}
        <FormAlert id={errorId} error={error?.message} />
        <SubmitRow busy={busy} label={t('popup_continue')} busyLabel={t('popup_connecting')}>
          {canGoBack && <SideButton onClick={onBack} />}
        </SubmitRow>
      </form>
    </section>
  );
}
