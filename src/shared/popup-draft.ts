// The add-account flow survives the popup being closed (by the person, or by Chrome when a
// permission prompt or a new tab takes focus) by keeping its draft in storage.session: in memory only, gone when
// the browser quits. The password is never part of a draft; save() copies named fields so that
// nothing else can ride along, and drops a password typed into the server URL itself.
import type { StorageAreaLike } from './storage-area';
import type { RealmInfo } from './zulip/realm-info';
import { originOf } from './realm-url';

export const DRAFT_KEY = 'popupDraft';

export type Draft =
  | {
      step: 'server';
      serverUrl: string;
      /** Set while a permission prompt for this origin may have closed the popup. */
      awaitingPermission?: string;
    }
  | {
      step: 'signin';
      serverUrl: string;
      /** The origin typed (and granted), which the realm's own URL may differ from. */
      origin: string;
      realm: RealmInfo;
      username: string;
      awaitingPermission?: string;
      /** Set while a sign-in is under way: a popup closed meanwhile asks the background how it ended. */
      signingIn?: true;
    };

export interface DraftStore {
  load(): Promise<Draft | null>;
  save(draft: Draft): Promise<void>;
  clear(): Promise<void>;
}

/** `area` is undefined where storage.session does not exist; the popup then just forgets. */
export function createDraftStore(area: StorageAreaLike | undefined): DraftStore {
  // A lost draft costs some retyping; a failed write must never break the flow itself.
  const quietly = async (action: (store: StorageAreaLike) => Promise<void>): Promise<void> => {
    if (!area) return;
    try {
      await action(area);
    } catch {
      // Ignored: see above.
    }
  };
  return {
    async load() {
      if (!area) return null;
      try {
        return parseDraft((await area.get(DRAFT_KEY))[DRAFT_KEY]);
      } catch {
        return null;
      }
    },
    save: (draft) => quietly((store) => store.set({ [DRAFT_KEY]: copyDraft(draft) })),
    clear: () => quietly((store) => store.remove(DRAFT_KEY)),
  };
}

function copyDraft(draft: Draft): Draft {
  const awaiting = draft.awaitingPermission === undefined ? {} : { awaitingPermission: draft.awaitingPermission };
  const serverUrl = withoutPassword(draft.serverUrl);
  if (draft.step === 'server') return { step: 'server', serverUrl, ...awaiting };
  return {
    step: 'signin',
    serverUrl,
    origin: draft.origin,
    realm: copyRealm(draft.realm),
    username: draft.username,
    ...awaiting,
    ...(draft.signingIn === true ? { signingIn: true } : {}),
  };
}

/**
 * The typed URL without its user info when that holds a password ("https://me:secret@host" →
 * "https://host"). The popup refuses such a URL, but the draft is saved as it is typed. A user
 * name alone ("me@example.com", an email typed by mistake) is no secret and is kept.
 */
function withoutPassword(serverUrl: string): string {
  const scheme = /^\s*[a-z][a-z0-9+.-]*:\/\//i.exec(serverUrl)?.[0] ?? '';
  const rest = serverUrl.slice(scheme.length);
  const authorityEnd = rest.search(/[/?#\\]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const at = authority.lastIndexOf('@');
  if (at < 0 || !authority.slice(0, at).includes(':')) return serverUrl;
  return scheme + rest.slice(at + 1);
}

function copyRealm(realm: RealmInfo): RealmInfo {
  return {
    realmUrl: realm.realmUrl,
    name: realm.name,
    iconUrl: realm.iconUrl,
    zulipVersion: realm.zulipVersion,
    featureLevel: realm.featureLevel,
    passwordAuth: realm.passwordAuth,
    usernameIsEmail: realm.usernameIsEmail,
    externalMethods: realm.externalMethods.map(({ name, displayName, iconUrl, loginUrl, completionOrigin }) => ({
      name,
      displayName,
      iconUrl,
      loginUrl,
      completionOrigin,
    })),
    devAuth: realm.devAuth,
  };
}

/** Storage is outside this module's control (an older version may have written it): check it all. */
export function parseDraft(value: unknown): Draft | null {
  if (!isRecord(value) || typeof value.serverUrl !== 'string') return null;
  const awaiting = isOrigin(value.awaitingPermission) ? { awaitingPermission: value.awaitingPermission } : {};
  if (value.step === 'server') return { step: 'server', serverUrl: value.serverUrl, ...awaiting };
  if (value.step !== 'signin') return null;
  const realm = parseRealm(value.realm);
  if (!realm || !isOrigin(value.origin) || typeof value.username !== 'string') return null;
  const signingIn = value.signingIn === true ? { signingIn: true as const } : {};
  return { step: 'signin', serverUrl: value.serverUrl, origin: value.origin, realm, username: value.username, ...awaiting, ...signingIn };
}

function parseRealm(value: unknown): RealmInfo | null {
  if (!isRecord(value)) return null;
  const { realmUrl, name, iconUrl, zulipVersion, featureLevel, passwordAuth, usernameIsEmail, externalMethods } = value;
  // Drafts saved before development servers were recognised have no devAuth: they are not one.
  const devAuth = value.devAuth ?? false;
  if (
    typeof realmUrl !== 'string' ||
    originOf(realmUrl) === null ||
    typeof name !== 'string' ||
    (iconUrl !== null && typeof iconUrl !== 'string') ||
    typeof zulipVersion !== 'string' ||
    typeof featureLevel !== 'number' ||
    typeof passwordAuth !== 'boolean' ||
    typeof usernameIsEmail !== 'boolean' ||
    !Array.isArray(externalMethods) ||
    !externalMethods.every(isExternalMethod) ||
    typeof devAuth !== 'boolean'
  ) {
    return null;
  }
  return copyRealm({ realmUrl, name, iconUrl, zulipVersion, featureLevel, passwordAuth, usernameIsEmail, externalMethods, devAuth });
}

function isExternalMethod(value: unknown): value is RealmInfo['externalMethods'][number] {
  if (!isRecord(value)) return false;
  const { name, displayName, iconUrl, loginUrl, completionOrigin } = value;
  return (
    typeof name === 'string' &&
    typeof displayName === 'string' &&
    (iconUrl === null || typeof iconUrl === 'string') &&
    typeof loginUrl === 'string' &&
    (completionOrigin === null || isOrigin(completionOrigin))
  );
}

function isOrigin(value: unknown): value is string {
  return typeof value === 'string' && originOf(value) === value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
