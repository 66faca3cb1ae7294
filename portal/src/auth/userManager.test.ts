import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { UserManager, type INavigator } from "oidc-client-ts";
import { safeReturnPath, userManagerSettings } from "./userManager";
import { LoopbackIssuer, recordingNavigator } from "../test/loopbackIssuer";

let issuer: LoopbackIssuer;

beforeAll(async () => {
  issuer = await new LoopbackIssuer().start();
});
afterAll(() => issuer.stop());
beforeEach(() => {
  window.localStorage.clear();
  window.sessionStorage.clear();
});

function storageText(storage: Storage): string {
  let text = "";
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i)!;
    text += `${key}=${storage.getItem(key)}\n`;
  }
  return text;
}

/** Signs in through the loopback issuer the way the portal does: redirect out, then the callback. */
async function signIn() {
  const recorder = recordingNavigator();
  const manager = new UserManager(
    userManagerSettings(issuer.origin, window.sessionStorage),
    recorder.navigator as unknown as INavigator,
  );
  await manager.signinRedirect({ state: { returnTo: "/t/acme/collections?tab=search#x" } });
  const authorize = new URL(recorder.urls[0]!);
  issuer.expectedChallenge = authorize.searchParams.get("code_challenge") ?? undefined;
  return { manager, recorder, authorize };
}

describe("the portal's sign-in", () => {
  it("asks for code + PKCE S256 with the portal's client, redirect and scopes", async () => {
    const { authorize } = await signIn();
    expect(authorize.origin + authorize.pathname).toBe(`${issuer.origin}/connect/authorize`);
    expect(authorize.searchParams.get("client_id")).toBe("piramid-portal");
    expect(authorize.searchParams.get("response_type")).toBe("code");
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${issuer.origin}/callback`);
    expect(authorize.searchParams.get("scope")).toBe("openid offline_access");
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("keeps tokens in memory only: nothing in localStorage or sessionStorage after the callback", async () => {
    const { manager, authorize } = await signIn();
    // During the redirect only the transient sign-in state is stored, in sessionStorage.
    expect(window.sessionStorage.length).toBe(1);
    expect(window.localStorage.length).toBe(0);

    const state = authorize.searchParams.get("state")!;
    const user = await manager.signinRedirectCallback(`${issuer.origin}/callback?code=${issuer.code}&state=${state}`);

    expect(user.access_token).toBe(issuer.accessToken);
    expect(user.refresh_token).toBe(issuer.refreshToken);
    expect(safeReturnPath(user.state)).toBe("/t/acme/collections?tab=search#x");
    expect((await manager.getUser())?.access_token).toBe(issuer.accessToken);
    // The callback removed the sign-in state, and no token was ever written to web storage.
    expect(window.sessionStorage.length).toBe(0);
    expect(window.localStorage.length).toBe(0);
    for (const text of [storageText(window.sessionStorage), storageText(window.localStorage), document.cookie]) {
      expect(text).not.toContain("SECRET");
    }
  });

  it("sends the PKCE verifier that matches the challenge", async () => {
    const { manager, authorize } = await signIn();
    const state = authorize.searchParams.get("state")!;
    await manager.signinRedirectCallback(`${issuer.origin}/callback?code=${issuer.code}&state=${state}`);
    const exchange = issuer.log.tokenRequests.at(-1)!;
    expect(exchange.get("client_id")).toBe("piramid-portal");
    expect(exchange.get("redirect_uri")).toBe(`${issuer.origin}/callback`);
    expect(exchange.get("code_verifier")).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
  });

  it("a new manager (a reload) has no user: tokens did not outlive the page", async () => {
    const { manager, authorize } = await signIn();
    const state = authorize.searchParams.get("state")!;
    await manager.signinRedirectCallback(`${issuer.origin}/callback?code=${issuer.code}&state=${state}`);
    const reloaded = new UserManager(userManagerSettings(issuer.origin, window.sessionStorage));
    expect(await reloaded.getUser()).toBeNull();
  });

  it("signing out revokes the refresh token and ends the session with the id token and the portal's address", async () => {
    const { manager, recorder, authorize } = await signIn();
    const state = authorize.searchParams.get("state")!;
    const user = await manager.signinRedirectCallback(`${issuer.origin}/callback?code=${issuer.code}&state=${state}`);

    await manager.revokeTokens(["refresh_token"]);
    await manager.signoutRedirect({ id_token_hint: user.id_token });

    const revocation = issuer.log.revocations.at(-1)!;
    expect(revocation.get("token")).toBe(issuer.refreshToken);
    expect(revocation.get("token_type_hint")).toBe("refresh_token");
    expect(revocation.get("client_id")).toBe("piramid-portal");
    const logout = new URL(recorder.urls.at(-1)!);
    expect(logout.origin + logout.pathname).toBe(`${issuer.origin}/connect/logout`);
    expect(logout.searchParams.get("post_logout_redirect_uri")).toBe(`${issuer.origin}/`);
    expect(logout.searchParams.get("id_token_hint")).toBe(user.id_token);
    expect(await manager.getUser()).toBeNull();
  });
});

describe("safeReturnPath", () => {
  it("follows only paths of the portal", () => {
    expect(safeReturnPath({ returnTo: "/invite#token=abc" })).toBe("/invite#token=abc");
    expect(safeReturnPath({ returnTo: "//evil.example/x" })).toBe("/");
    expect(safeReturnPath({ returnTo: "/\\evil.example" })).toBe("/");
    expect(safeReturnPath({ returnTo: "https://evil.example/" })).toBe("/");
    expect(safeReturnPath(undefined)).toBe("/");
    expect(safeReturnPath("not an object")).toBe("/");
  });
});
