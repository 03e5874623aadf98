import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { AccountSummary, SsoFlowSummary } from '../shared/messages';
import type { RealmInfo } from '../shared/zulip/api-client';
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
  realm: RealmInfo;
  /** The origin typed in the first step. */
  origin: string;
  initialUsername: string;
  initialError: string | null;
  /** How the last single sign-on for this organization failed, shown by its buttons. */
  ssoError: string | null;
  /** The username is known (signing in again): the password is what is left to type. */
  focusPassword: boolean;
  onUsernameChange(username: string): void;
  onBeforePrompt(origin: string): void;
  /** A sign-in is under way: the draft must say so, in case the popup closes before it ends. */
  onSending(): void;
  /** It ended without an account, and its form shows why: the draft's mark goes. */
  onSettled(): void;
  onSignedIn(account: AccountSummary, replaced: AccountSummary | null): void;
  onSsoStarted(flow: SsoFlowSummary): void;
  onBack(): void;
}

export function SignInStep(props: Props) {
  const { realm } = props;
  const sso = realm.externalMethods.length > 0;
  const [withKey, setWithKey] = useState(false);
  // Shared by the password form and the API key form, so that switching keeps what was typed.
  const [username, setUsername] = useState(props.initialUsername);
  const keyButtonRef = useRef<HTMLButtonElement>(null);
  const focusKeyButton = useRef(false);
  useLayoutEffect(() => {
    if (!withKey && focusKeyButton.current) keyButtonRef.current?.focus();
    focusKeyButton.current = false;
  }, [withKey]);
  const onUsernameChange = (typed: string) => {
    setUsername(typed);
    props.onUsernameChange(typed);
  };
  // A realm that names another host than the one typed as its own: the person is told before the click, as at Continue.
  const askingRealmHost = realmHostAsksFor(realm, props.origin, props.deps.hostPermissions);
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
        <PermissionNote id={noteId} asking={t('popup_permission_note', askingRealmHost)} promptClosesPopup={props.deps.hostPermissions.promptClosesPopup} />
      )}
      {withKey ? (
        <ApiKeyForm
          deps={props.deps}
          realm={realm}
          origin={props.origin}
          initialEmail={username}
          onEmailChange={onUsernameChange}
          onBeforePrompt={props.onBeforePrompt}
          onSending={props.onSending}
          onSignedIn={props.onSignedIn}
          onOtherWays={() => {
            focusKeyButton.current = true;
            setWithKey(false);
          }}
          onBack={props.onBack}
        />
      ) : (
        <>
          {realm.devAuth && (
            <DevSignIn
              deps={props.deps}
              realm={realm}
              origin={props.origin}
              onBeforePrompt={props.onBeforePrompt}
              onSending={props.onSending}
              onSettled={props.onSettled}
              onSignedIn={props.onSignedIn}
            />
          )}
          {sso && (
            <SsoButtons
              deps={props.deps}
              realm={realm}
              focusFirst={!realm.passwordAuth && !props.focusPassword}
              initialError={props.ssoError}
              onBeforePrompt={props.onBeforePrompt}
              onStarted={props.onSsoStarted}
            />
          )}
          {realm.passwordAuth && (sso || realm.devAuth) && <h2 class="divider">{t('popup_sso_or_password')}</h2>}
          {realm.passwordAuth ? (
            <PasswordForm {...props} initialUsername={username} onUsernameChange={onUsernameChange} />
          ) : (
            <OnlyBack realm={realm} sso={sso} onBack={props.onBack} />
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
