import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { AccountSummary, SsoFlowSummary } from '../shared/reply-values';
import type { RealmInfo } from '../shared/zulip/realm-info';
import type { DraftHandle } from './use-draft';
import { signInDraft } from './sign-in-draft';
import type { SignInView } from './view';
import type { FlowDeps } from './add-account';
import { realmHostAsksFor } from './sign-in';
import type { HostPermissions } from './host-permission';
import { t } from '../shared/i18n';
import { RealmIcon } from './RealmIcon';
import { SsoButtons } from './SsoButtons';
import { ApiKeyForm } from './ApiKeyForm';
import { DevSignIn } from './DevSignIn';
import { SideButton } from './FormActions';
import { PermissionNote } from './PermissionNote';
import { PasswordForm } from './PasswordForm';
import './forms.css';
import './sign-in.css';

interface Props {
  deps: FlowDeps & { hostPermissions: Pick<HostPermissions, 'isGranted' | 'promptClosesPopup'> };
  step: SignInView;
  draft: Pick<DraftHandle, 'save' | 'current'>;
  onSignedIn(account: AccountSummary, replaced: AccountSummary | null): void;
  onSsoStarted(flow: SsoFlowSummary): void;
  onBack(): void;
}

export function SignInStep({ deps, step, draft, onSignedIn, onSsoStarted, onBack }: Props) {
  const { realm, origin } = step;
  const sso = realm.externalMethods.length > 0;
  const [withKey, setWithKey] = useState(false);
  // Shared by the password form and the API key form, so that switching keeps what was typed.
  const [username, setUsername] = useState(step.username);
  const keyButtonRef = useRef<HTMLButtonElement>(null);
  const focusKeyButton = useRef(false);
  useLayoutEffect(() => {
    if (!withKey && focusKeyButton.current) keyButtonRef.current?.focus();
    focusKeyButton.current = false;
  }, [withKey]);
  const { onUsernameChange: drafted, onBeforePrompt, onSending, onSettled } = signInDraft(draft, step);
  const onUsernameChange = (typed: string) => {
    setUsername(typed);
    drafted(typed);
  };
  // What every way in is given.
  const wayIn = { deps, realm, origin, onBeforePrompt, onSending, onSignedIn };
  // A realm that names another host than the one typed as its own: the person is told before the click, as at Continue.
  const askingRealmHost = realmHostAsksFor(realm, origin, deps.hostPermissions);
  const noteId = useId();
  return (
    <section class="view" aria-labelledby="realm-heading">
      <div class="realm-card">
        <RealmIcon iconUrl={realm.iconUrl} realmUrl={realm.realmUrl} name={realm.name} />
        <div class="account-text">
          <h1 id="realm-heading" class="org">
            {realm.name}
          </h1>
          <span class="muted">{t('popup_zulip_version', realm.zulipVersion)}</span>
          <span class="muted url">{realm.realmUrl}</span>
        </div>
      </div>
      {askingRealmHost !== null && (
        <PermissionNote id={noteId} asking={t('popup_permission_note', askingRealmHost)} promptClosesPopup={deps.hostPermissions.promptClosesPopup} />
      )}
      {withKey ? (
        <ApiKeyForm
          {...wayIn}
          initialEmail={username}
          onEmailChange={onUsernameChange}
          onOtherWays={() => {
            focusKeyButton.current = true;
            setWithKey(false);
          }}
          onBack={onBack}
        />
      ) : (
        <>
          {realm.devAuth && (
            <DevSignIn {...wayIn} onSettled={onSettled} />
          )}
          {sso && (
            <SsoButtons
              deps={deps}
              realm={realm}
              focusFirst={!realm.passwordAuth && step.focusPassword !== true}
              initialError={step.ssoError ?? null}
              onBeforePrompt={onBeforePrompt}
              onStarted={onSsoStarted}
            />
          )}
          {realm.passwordAuth && (sso || realm.devAuth) && <h2 class="divider">{t('popup_sso_or_password')}</h2>}
          {realm.passwordAuth ? (
            <PasswordForm
              {...wayIn}
              initialUsername={username}
              initialError={step.error}
              focusPassword={step.focusPassword === true}
              onUsernameChange={onUsernameChange}
              onBack={onBack}
            />
          ) : (
            <OnlyBack realm={realm} sso={sso} onBack={onBack} />
          )}
          <p class="other-way">
            <button type="button" class="link" ref={keyButtonRef} onClick={() => setWithKey(true)}>
              {t('popup_use_api_key')}
            </button>
          </p>
        </>
      )}
    </section>
  );
}

/** No password form: the Back button, and when there is no way in at all, why. */
function OnlyBack({ realm, sso, onBack }: { realm: RealmInfo; sso: boolean; onBack(): void }) {
  const backRef = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    if (!sso) backRef.current?.focus();
  }, []);
  return (
    <>
      {!sso && <p class="notice">{t('popup_no_password_auth', realm.name)}</p>}
      <div class="actions">
        <SideButton buttonRef={backRef} onClick={onBack} />
      </div>
    </>
  );
}
