// One button per single sign-on method, in the server's order, each named "Log in with …".
import { useId, useLayoutEffect, useRef } from 'preact/hooks';
import type { SsoFlowSummary } from '../shared/reply-values';
import type { ExternalAuthMethod, RealmInfo } from '../shared/zulip/realm-info';
import type { FlowDeps } from './add-account';
import type { HostPermissions } from './host-permission';
import { t } from '../shared/i18n';
import { ssoHostsToAsk, startSingleSignOn } from './single-sign-on';
import { FormAlert } from './FormAlert';
import { PermissionNote } from './PermissionNote';
import { useRequest } from './use-request';

interface Props {
  deps: FlowDeps & { hostPermissions: Pick<HostPermissions, 'isGranted' | 'promptClosesPopup'> };
  realm: RealmInfo;
  /** No password form follows: the first button takes the focus. */
  focusFirst: boolean;
  initialError: string | null;
  onBeforePrompt(origin: string): void;
  onStarted(flow: SsoFlowSummary): void;
}

export function SsoButtons({ deps, realm, focusFirst, initialError, onBeforePrompt, onStarted }: Props) {
  // `working`: the name of the method started.
  const { working, error, setError, run } = useRequest(initialError);
  const firstRef = useRef<HTMLButtonElement>(null);
  const errorId = useId();
  const noteId = useId();
  useLayoutEffect(() => {
    if (focusFirst) firstRef.current?.focus();
  }, []);

  // Synchronously inside the click: startSingleSignOn asks for the permissions before it awaits.
  const start = (method: ExternalAuthMethod) =>
    run(
      () => startSingleSignOn(realm, method, deps, onBeforePrompt),
      (outcome) => (outcome.ok ? onStarted(outcome.flow) : setError(outcome.message)),
      method.name,
    );

  // The same hosts for every method in practice; named once, for the methods that need asking.
  const toAsk = [...new Set(realm.externalMethods.flatMap((method) => ssoHostsToAsk(realm, method, deps.hostPermissions)))];
  return (
    <div class="sso">
      {realm.externalMethods.map((method, index) => (
        <button
          key={method.name}
          type="button"
          class="sso-button"
          ref={index === 0 ? firstRef : undefined}
          disabled={working !== null}
          aria-busy={working === method.name}
          aria-describedby={[error ? errorId : '', toAsk.length > 0 ? noteId : ''].join(' ').trim() || undefined}
          onClick={() => start(method)}
        >
          {method.iconUrl && <img src={method.iconUrl} alt="" width={18} height={18} referrerpolicy="no-referrer" />}
          <span>{t('popup_sso_button', method.displayName)}</span>
        </button>
      ))}
      {toAsk.length > 0 && (
        <PermissionNote
          id={noteId}
          asking={t('popup_sso_permission_note', toAsk.join(', '), realm.name)}
          promptClosesPopup={deps.hostPermissions.promptClosesPopup}
        />
      )}
      <FormAlert id={errorId} error={error} />
    </div>
  );
}
