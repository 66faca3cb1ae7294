import { InMemoryWebStorage, UserManager, WebStorageStateStore, type UserManagerSettings } from "oidc-client-ts";

/** The portal's OAuth client, registered by the control plane (public, code + PKCE S256). */
export const portalClientId = "piramid-portal";

/**
 * Settings of the portal's sign-in. Tokens (the user) live in memory only: a reload signs in again through the
 * control plane's session cookie. Only the short-lived sign-in state (PKCE verifier, return path) goes to
 * sessionStorage, because it must survive the redirect to the sign-in page; the callback removes it.
 */
export function userManagerSettings(origin: string, transientStorage: Storage): UserManagerSettings {
  return {
    // The portal always talks to its own origin (the gateway serves it). Discovery names the issuer's configured
    // URL, which differs behind `npm run dev`/`preview` (they forward /connect to the gateway) or a proxy with
    // another host name: call the endpoints on the page's origin all the same, so no request is cross-origin.
    metadataSeed: {
      authorization_endpoint: `${origin}/connect/authorize`,
      token_endpoint: `${origin}/connect/token`,
      revocation_endpoint: `${origin}/connect/revocation`,
      end_session_endpoint: `${origin}/connect/logout`,
    },
    authority: origin,
    client_id: portalClientId,
    redirect_uri: `${origin}/callback`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: "code",
    scope: "openid offline_access",
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    stateStore: new WebStorageStateStore({ store: transientStorage, prefix: "piramid.signin." }),
    // Renew with the refresh token before the 15-minute access token expires.
    automaticSilentRenew: true,
    loadUserInfo: false,
    monitorSession: false,
    revokeTokenTypes: ["refresh_token"],
  };
}

export function createUserManager(origin = window.location.origin): UserManager {
  return new UserManager(userManagerSettings(origin, window.sessionStorage));
}

/** Where to go after signing in: carried through the redirect in the sign-in state. */
export interface SignInState {
  returnTo: string;
}

export function isSignInState(value: unknown): value is SignInState {
  return typeof value === "object" && value !== null && typeof (value as SignInState).returnTo === "string";
}

/** Only same-origin paths are followed after sign-in, never a URL that leaves the portal. */
export function safeReturnPath(value: unknown): string {
  if (!isSignInState(value)) return "/";
  const path = value.returnTo;
  return path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\") ? path : "/";
}
