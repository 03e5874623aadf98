// Zulip's single sign-on "mobile flow" (docs/zulip-api.md §5), following
// zerver/views/auth.py and zproject/backends.py. A fake server plays up to two parts in it:
//
// As a realm:
//   <login_url>?mobile_flow_otp=…   (a configured /accounts/login/social/<backend>[/<idp>]; only
//       with realm.sso set, else 404)
//       400 JSON for a bad OTP or both OTPs, else 302 to the social-auth origin's
//       /login/<backend>/?subdomain=…&is_signup=0&multiuse_object_key=&mobile_flow_otp=…[&idp=…]
//   /accounts/login/subdomain/<token>   where the flow ends without an account: 200 HTML "No account
//       found for <email> in <realm name>" (or, in a flow without an OTP, a 302 into the realm)
//   /login/[?is_deactivated=<email>]    the login page; for a deactivated realm a 302 to
//   /accounts/deactivated/             the deactivation notice
//   <display_icon> of each method      a small PNG
//
// As the social-auth server (the realm's own server unless realm.sso.socialAuthServer names another,
// as on a multi-organization server's root domain):
//   /login/<backend>/       keeps the flow under a fresh OAuth state, 302 to the identity provider's
//                           /authorize?client_id=…&redirect_uri=<origin>/complete/<backend>/&state=…
//   /complete/<backend>/    redeems the code and answers as social_auth_finish does: an active
//                           account with an OTP gets the bare 302 to zulip://login?otp_encrypted_api_key=…
//                           &email=…&user_id=…&realm=… (user_id from feature level 108, email as the
//                           identity provider gave it on 2.1, feature level 0); everything
//                           else is a 302 to a realm page above: deactivated user → /login/?is_deactivated=,
//                           deactivated realm or method switched off → /login/, no account →
//                           /accounts/login/subdomain/<token>. Never a zulip:// URL in those cases.
//
// A social-auth server learns of a realm when the realm sends it a flow, under the realm's
// subdomain (StartOptions.subdomain, default "" like a single-organization server), and forgets it
// when the realm's server closes; realms sharing one social-auth server need distinct subdomains.
//
// Where the fake simplifies (documented choices, not Zulip's behaviour): the flow is kept
// server-side by its OAuth state rather than in a session cookie, and each state and code works
// once; an unknown state or code answers 400 HTML (Zulip would redirect to a login page); an unknown
// subdomain at /login/<backend>/ redirects to /accounts/find/ at once (Zulip would do so after the
// identity provider); SAML uses the same state/code shape as OAuth; a desktop_flow_otp is validated
// but its flow is not implemented (501).

import { randomInt } from 'node:crypto';
import { isValidEmail, pythonUrlencode, requestParams } from './django-compat';
import type { FakeZulipServer } from './fake-zulip-server';
import { redeemAuthorizationCode } from './identity-provider';
import { colourFor, solidPng } from './png-image';
import { isUserActive, serverFacts, type FakeRealmConfig, type FakeUser } from './realm-config';
import { escapeHtml, HTML_TYPE, htmlDocument as page, jsonError, notFound, type Reply, type RequestContext } from './zulip-endpoints';

/** One fake server's part in SSO flows, as a realm and as a social-auth server. */
export interface SsoSite {
  readonly origin: string;
  readonly subdomain: string;
  /** Canonical realm URL, no trailing slash. */
  readonly realmUrl: string;
  /** The realm served here now (the server's mutable `realm`). */
  realm(): FakeRealmConfig | null;
  /** As social-auth server: flows waiting for the identity provider, by OAuth state. */
  readonly flows: Map<string, Flow>;
  /** As social-auth server: the realms that sent flows here, by subdomain. */
  readonly realms: Map<string, SsoSite>;
  /** As realm: results waiting at /accounts/login/subdomain/<token>. */
  readonly loginTokens: Map<string, LoginResult>;
  /** As realm: the social-auth servers that know it, so that closing can unregister it. */
  readonly knownBy: Set<SsoSite>;
}

interface Flow {
  backend: string;
  subdomain: string;
  mobileFlowOtp: string | undefined;
}

interface LoginResult {
  email: string;
  hasAccount: boolean;
}

const sites = new WeakMap<FakeZulipServer, SsoSite>();

export function createSsoSite(server: FakeZulipServer, subdomain: string, realmUrl: string): SsoSite {
  const site: SsoSite = {
    origin: server.url,
    subdomain,
    realmUrl,
    realm: () => server.realm,
    flows: new Map(),
    realms: new Map(),
    loginTokens: new Map(),
    knownBy: new Set(),
  };
  sites.set(server, site);
  return site;
}

export function closeSsoSite(site: SsoSite): void {
  for (const social of site.knownBy) {
    if (social.realms.get(site.subdomain) === site) social.realms.delete(site.subdomain);
  }
  site.knownBy.clear();
  site.flows.clear();
  site.realms.clear();
  site.loginTokens.clear();
}

// ---------------------------------------------------------------- helpers

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 32 characters of [A-Za-z0-9]: the shape of an API key, which Zulip uses for states and login tokens. */
export function randomToken(): string {
  return Array.from({ length: 32 }, () => TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)]).join('');
}

export function redirect(location: string): Reply {
  return { status: 302, headers: { 'Content-Type': HTML_TYPE, Location: location }, body: '' };
}

export function params(ctx: RequestContext): (name: string) => string | undefined {
  return requestParams(ctx.headers['content-type'], ctx.body, ctx.query);
}

/** zerver/lib/mobile_auth_otp.py is_valid_otp: 64 characters, each a hex digit. */
function isValidOtp(otp: string): boolean {
  return /^[0-9a-fA-F]{64}$/.test(otp);
}

/** zproject/backends.py validate_otp_params: a JsonableError (400) or null. */
function otpError(mobileFlowOtp: string | undefined, desktopFlowOtp: string | undefined): Reply | null {
  for (const otp of [mobileFlowOtp, desktopFlowOtp]) {
    if (otp !== undefined && !isValidOtp(otp)) return jsonError(400, 'Invalid OTP', 'BAD_REQUEST');
  }
  if (mobileFlowOtp && desktopFlowOtp) {
    return jsonError(400, "Can't use both mobile_flow_otp and desktop_flow_otp together.", 'BAD_REQUEST');
  }
  return null;
}

/** otp_encrypt_api_key: the key's ASCII as hex, XORed with the OTP digit by digit, lowercase. */
export function otpEncryptApiKey(apiKey: string, otp: string): string {
  const hexKey = [...apiKey].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
  if (hexKey.length !== otp.length) throw new Error('otpEncryptApiKey: the OTP must be twice as long as the key');
  return [...hexKey].map((digit, i) => (parseInt(digit, 16) ^ parseInt(otp.charAt(i), 16)).toString(16)).join('');
}

const SOCIAL_LOGIN_URL = /^\/accounts\/login\/social\/([^/]+)(?:\/([^/]+))?$/;

/** The backend of each configured method that starts at /accounts/login/social/…. */
function socialBackends(realm: FakeRealmConfig): Set<string> {
  const backends = (realm.externalAuthenticationMethods ?? []).map((m) => SOCIAL_LOGIN_URL.exec(m.login_url)?.[1]);
  return new Set(backends.filter((b) => b !== undefined));
}

/** display_icon values that are paths on the realm (not absolute URLs, not null), query dropped. */
function iconPaths(realm: FakeRealmConfig): Set<string> {
  const icons = (realm.externalAuthenticationMethods ?? []).flatMap((m) => m.display_icon ?? []);
  return new Set(icons.filter((i) => i.startsWith('/') && !i.startsWith('//')).map((i) => i.split(/[?#]/)[0] ?? i));
}

export function findUser(realm: FakeRealmConfig, email: string): FakeUser | undefined {
  const wanted = email.toLowerCase();
  return realm.users.find((u) => u.email.toLowerCase() === wanted);
}

// ---------------------------------------------------------------- realm: start

/**
 * The request's OTPs as validate_otp_params judges them: the mobile flow's pad (or none) to go on
 * with, or the reply that ends here (a bad OTP, or a desktop flow, which the fake does not play).
 */
export function mobileFlowOtpOf(param: (name: string) => string | undefined): { otp: string | undefined } | { reply: Reply } {
  const mobileFlowOtp = param('mobile_flow_otp');
  const desktopFlowOtp = param('desktop_flow_otp');
  const invalid = otpError(mobileFlowOtp, desktopFlowOtp);
  if (invalid) return { reply: invalid };
  if (desktopFlowOtp !== undefined) {
    return { reply: page(501, 'Not implemented', '<h1>Not implemented</h1>\n<p>The fake Zulip server does not implement desktop_flow_otp.</p>') };
  }
  return { otp: mobileFlowOtp };
}

/** start_social_login → oauth_redirect_to_root. */
function startSocialLogin(ctx: RequestContext, site: SsoSite, realm: FakeRealmConfig, backend: string, extraArg: string | undefined): Reply {
  const param = params(ctx);
  const otps = mobileFlowOtpOf(param);
  if ('reply' in otps) return otps.reply;
  const mobileFlowOtp = otps.otp;

  const social = socialSiteFor(realm, site);
  const known = social.realms.get(site.subdomain);
  if (known && known !== site) {
    throw new Error(
      `Two realms use subdomain "${site.subdomain}" at the social-auth server ${social.origin}: ` +
        'give their startFakeZulip calls distinct `subdomain` options.',
    );
  }
  social.realms.set(site.subdomain, site);
  site.knownBy.add(social);

  const query: [string, string][] = [
    ['subdomain', site.subdomain],
    ['is_signup', '0'],
    ['multiuse_object_key', param('multiuse_object_key') ?? ''],
  ];
  if (mobileFlowOtp !== undefined) query.push(['mobile_flow_otp', mobileFlowOtp]);
  if (backend === 'saml' && extraArg !== undefined) query.push(['idp', extraArg]);
  return redirect(`${social.origin}/login/${backend}/?${pythonUrlencode(query)}`);
}

function socialSiteFor(realm: FakeRealmConfig, site: SsoSite): SsoSite {
  const server = realm.sso?.socialAuthServer;
  if (!server) return site;
  const social = sites.get(server);
  if (!social) throw new Error('realm.sso.socialAuthServer must be a server from startFakeZulip');
  return social;
}

// ---------------------------------------------------------------- social-auth server

export function identityProviderOf(realm: FakeRealmConfig): string | undefined {
  const url = realm.sso?.identityProvider;
  return url === undefined ? undefined : new URL(url).origin;
}

/** python-social-auth's begin view, with Zulip's session fields. */
function beginSocialLogin(ctx: RequestContext, site: SsoSite, backend: string): Reply {
  const param = params(ctx);
  const subdomain = param('subdomain') ?? '';
  const realm = site.realms.get(subdomain)?.realm();
  const identityProvider = realm && identityProviderOf(realm);
  if (!realm || !identityProvider) return redirect('/accounts/find/');
  if (!socialBackends(realm).has(backend)) return notFound();

  const state = randomToken();
  // Kept as sent: social_auth_finish validates it, after the identity provider.
  site.flows.set(state, { backend, subdomain, mobileFlowOtp: param('mobile_flow_otp') });
  const query = pythonUrlencode([
    ['client_id', `fake-zulip-${backend}`],
    ['redirect_uri', `${site.origin}/complete/${backend}/`],
    ['state', state],
    ['response_type', 'code'],
  ]);
  return redirect(`${identityProvider}/authorize?${query}`);
}

function authenticationFailed(): Reply {
  return page(
    400,
    'Authentication failed',
    '<h1>Authentication failed</h1>\n<p>This sign-in link is unknown or was already used. Start again from the organization’s login page.</p>',
  );
}

/**
 * create_response_for_otp_flow, with the test faults of realm.sso.tamper. user_id came at feature
 * level 108 (commit 0abbb87155). Zulip 2.1 (login_or_register_remote_user) named the account by the
 * address the identity provider gave, `idpEmail`, which matched it case-insensitively; 3.0 on, by its
 * delivery email.
 */
export function finishMobileFlow(realm: FakeRealmConfig, realmUrl: string, user: FakeUser, otp: string, idpEmail: string): Reply {
  const tamper = realm.sso?.tamper;
  const { featureLevel } = serverFacts(realm);
  const encrypted = otpEncryptApiKey(user.apiKey, otp);
  const query: [string, string][] = [
    ['otp_encrypted_api_key', tamper === 'short-key' ? encrypted.slice(0, 62) : encrypted],
    ['email', featureLevel < 1 ? idpEmail : user.email],
  ];
  if (featureLevel >= 108) query.push(['user_id', String(user.userId)]);
  query.push(['realm', tamper === 'wrong-realm' ? 'http://evil.invalid' : realmUrl]);
  return redirect(`zulip://login?${pythonUrlencode(query)}`);
}

/** python-social-auth's complete view, then social_auth_associate_user and social_auth_finish. */
function completeSocialLogin(ctx: RequestContext, site: SsoSite, backend: string): Reply {
  const param = params(ctx);
  const state = param('state') ?? '';
  const flow = site.flows.get(state);
  if (!flow || flow.backend !== backend) return authenticationFailed();
  site.flows.delete(state);

  const realmSite = site.realms.get(flow.subdomain);
  const realm = realmSite?.realm();
  if (!realmSite || !realm) return redirect('/accounts/find/');
  const identityProvider = identityProviderOf(realm);
  const redirectUri = `${site.origin}/complete/${backend}/`;
  const email = identityProvider && redeemAuthorizationCode(identityProvider, param('code') ?? '', redirectUri);
  if (!email) return authenticationFailed();

  const realmUrl = realmSite.realmUrl;
  if (!socialBackends(realm).has(backend)) return redirect(`${realmUrl}/login/`);
  const user = findUser(realm, email);
  if (user && !isUserActive(user)) return redirect(`${realmUrl}/login/?${pythonUrlencode([['is_deactivated', email]])}`);
  if (user && realm.deactivated) return redirect(`${realmUrl}/login/`);
  const invalid = otpError(flow.mobileFlowOtp, undefined);
  if (invalid) return invalid;
  if (user && flow.mobileFlowOtp) return finishMobileFlow(realm, realmUrl, user, flow.mobileFlowOtp, email);

  // redirect_and_log_into_subdomain: the realm's own origin finishes what the mobile flow could not.
  const token = randomToken();
  realmSite.loginTokens.set(token, { email, hasAccount: user !== undefined });
  return redirect(`${realmUrl}/accounts/login/subdomain/${token}`);
}

// ---------------------------------------------------------------- realm: where flows end

/** log_into_subdomain → login_or_register_remote_user. */
function logIntoSubdomain(site: SsoSite, realm: FakeRealmConfig, token: string): Reply {
  if (!/^[A-Za-z0-9]{32}$/.test(token)) return { status: 400, headers: { 'Content-Type': HTML_TYPE }, body: '' };
  const result = site.loginTokens.get(token);
  if (!result) {
    return page(400, 'Invalid login link', '<h1>Invalid login link</h1>\n<p>This login link is invalid or has expired.</p>');
  }
  site.loginTokens.delete(token);
  if (result.hasAccount) return redirect(site.realmUrl); // a browser session, in the web flow
  return accountNotFound(realm, result.email);
}

/** maybe_send_to_registration's zerver/confirm_continue_registration.html: an identity without an account here. */
export function accountNotFound(realm: FakeRealmConfig, identity: string): Reply {
  const name = escapeHtml(realm.name);
  const email = escapeHtml(identity);
  return page(
    200,
    `Account not found | ${realm.name}`,
    `<h1>${name} account not found.</h1>\n<p>No account found for ${email} in ${name}.</p>\n` +
      `<form action="/login/" method="get"><input type="hidden" name="email" value="${email}">` +
      '<button>Log in with another account</button></form>',
  );
}

/** login_page, as far as the SSO flow shows it. */
function loginPage(ctx: RequestContext, realm: FakeRealmConfig): Reply {
  if (realm.deactivated) return redirect('/accounts/deactivated/');
  const deactivated = params(ctx)('is_deactivated');
  const alert =
    deactivated !== undefined && isValidEmail(deactivated)
      ? `<p role="alert">Your account ${escapeHtml(deactivated)} has been deactivated. ` +
        'Please contact your organization administrator to reactivate it.</p>\n'
      : '';
  return page(200, `Log in | ${realm.name}`, `<h1>Log in to ${escapeHtml(realm.name)}</h1>\n${alert}`);
}

/** show_deactivation_notice. */
function deactivationNotice(realm: FakeRealmConfig): Reply {
  if (!realm.deactivated) return redirect('/login/');
  return page(
    200,
    'Deactivated organization',
    `<h1>Deactivated organization</h1>\n<p>The organization you are trying to join, ${escapeHtml(realm.name)}, has been deactivated.</p>`,
  );
}

// ---------------------------------------------------------------- routing

/** The reply for an SSO path, or null when `ctx.pathname` is not one. */
export function ssoRoute(ctx: RequestContext, site: SsoSite): Reply | null {
  const { pathname, realm } = ctx;
  if (realm) {
    const start = SOCIAL_LOGIN_URL.exec(pathname);
    const configured = (realm.externalAuthenticationMethods ?? []).some((m) => m.login_url === pathname);
    if (start?.[1] !== undefined && configured && realm.sso) return startSocialLogin(ctx, site, realm, start[1], start[2]);
    if (iconPaths(realm).has(pathname)) {
      return { status: 200, headers: { 'Content-Type': 'image/png' }, body: solidPng(16, colourFor(pathname)) };
    }
    const token = /^\/accounts\/login\/subdomain\/([^/]+)$/.exec(pathname)?.[1];
    if (token !== undefined) return logIntoSubdomain(site, realm, token);
    if (pathname === '/login/') return loginPage(ctx, realm);
    if (pathname === '/accounts/deactivated/') return deactivationNotice(realm);
  }
  const begin = /^\/login\/([^/]+)\/$/.exec(pathname)?.[1];
  if (begin !== undefined) return beginSocialLogin(ctx, site, begin);
  const complete = /^\/complete\/([^/]+)\/$/.exec(pathname)?.[1];
  if (complete !== undefined) return completeSocialLogin(ctx, site, complete);
  return null;
}
