import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { RealmInfo } from '../shared/zulip/api-client';
import { fetchRealm, lookUpServer, type FlowDeps, type LookupOutcome } from './add-account';
import { t } from './i18n';
import { FormAlert } from './FormAlert';

interface Props {
  deps: FlowDeps;
  initialUrl: string;
  /** Shown on arrival, e.g. when a permission prompt closed the popup without an answer. */
  initialError: string | null;
  /** An origin whose permission is already held, to look up at once (resuming after a prompt). */
  resumeOrigin: string | null;
  canGoBack: boolean;
  onUrlChange(serverUrl: string): void;
  /** A permission prompt may close the popup now: the draft must say where we were. */
  onBeforePrompt(serverUrl: string, origin: string): void;
  onFound(serverUrl: string, origin: string, realm: RealmInfo): void;
  onBack(): void;
}

export function ServerStep(props: Props) {
  const { deps, canGoBack, onBack } = props;
  const [url, setUrl] = useState(props.initialUrl);
  const [error, setError] = useState<{ message: string; inputProblem: boolean } | null>(
    props.initialError === null ? null : { message: props.initialError, inputProblem: false },
  );
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const fieldId = useId();
  const hintId = useId();
  const errorId = useId();

  const finish = (outcome: LookupOutcome, typed: string) => {
    busyRef.current = false;
    setBusy(false);
    if (outcome.ok) {
      props.onFound(typed, outcome.origin, outcome.realm);
      return;
    }
    // Re-saving drops the draft's awaitingPermission mark: the prompt, if any, has been answered.
    props.onUrlChange(typed);
    setError({ message: outcome.message, inputProblem: outcome.inputProblem });
    inputRef.current?.focus();
  };

  useLayoutEffect(() => {
    inputRef.current?.focus();
    if (props.resumeOrigin === null) return;
    busyRef.current = true;
    setBusy(true);
    void fetchRealm(props.resumeOrigin, deps).then((outcome) => finish(outcome, props.initialUrl));
  }, []);

  const submit = (event: Event) => {
    event.preventDefault();
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    setError(null);
    const typed = url;
    // Synchronously inside the submit event: lookUpServer asks for the permission before it awaits.
    void lookUpServer(typed, deps, (origin) => props.onBeforePrompt(typed, origin)).then((outcome) => finish(outcome, typed));
  };

  const invalid = error?.inputProblem === true;
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
          aria-describedby={invalid ? `${errorId} ${hintId}` : hintId}
          onInput={(event) => {
            const value = event.currentTarget.value;
            setUrl(value);
            props.onUrlChange(value);
          }}
        />
        <p id={hintId} class="hint">
          {t('popup_server_url_hint')}
        </p>
        <FormAlert id={errorId} error={error?.message} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy} aria-busy={busy}>
            {busy ? t('popup_connecting') : t('popup_continue')}
          </button>
          {canGoBack && (
            <button type="button" onClick={onBack}>
              {t('popup_back')}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
