import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { UserManager, type INavigator } from "oidc-client-ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthProvider, useAuth } from "./AuthContext";
import { RequireAuth } from "./RequireAuth";
import { userManagerSettings } from "./userManager";
import { LoopbackIssuer, recordingNavigator } from "../test/loopbackIssuer";

let issuer: LoopbackIssuer;
beforeAll(async () => {
  issuer = await new LoopbackIssuer().start();
});
afterAll(() => issuer.stop());

function SignOutButton() {
  const { signOut } = useAuth();
  return (
    <button type="button" onClick={() => void signOut()}>
      Sign out
    </button>
  );
}

describe("signing out from the shell", () => {
  it("ends the session and does not start signing in again on the way out", async () => {
    const recorder = recordingNavigator();
    const manager = new UserManager(userManagerSettings(issuer.origin, window.sessionStorage), recorder.navigator as unknown as INavigator);
    await manager.signinRedirect({ state: { returnTo: "/" } });
    const authorize = new URL(recorder.urls[0]!);
    issuer.expectedChallenge = authorize.searchParams.get("code_challenge") ?? undefined;
    await manager.signinRedirectCallback(`${issuer.origin}/callback?code=${issuer.code}&state=${authorize.searchParams.get("state")}`);

    render(
      <AuthProvider userManager={manager}>
        <MemoryRouter initialEntries={["/t/acme/overview"]}>
          <RequireAuth>
            <SignOutButton />
          </RequireAuth>
        </MemoryRouter>
      </AuthProvider>,
    );
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Sign out" }));
    await waitFor(() => expect(recorder.urls.some((u) => u.includes("/connect/logout"))).toBe(true));
    // Give any effect the user's removal would trigger the chance to run.
    await act(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));

    const after = recorder.urls.slice(recorder.urls.findIndex((u) => u.includes("/connect/logout")));
    expect(after.filter((u) => u.includes("/connect/authorize"))).toEqual([]);
    expect(recorder.urls.filter((u) => u.includes("/connect/authorize"))).toHaveLength(1);
    expect(issuer.log.revocations.at(-1)?.get("token")).toBe(issuer.refreshToken);
    expect(screen.getByRole("status")).toHaveTextContent("Signing out");
  });
});
