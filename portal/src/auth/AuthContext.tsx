import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import type { User, UserManager } from "oidc-client-ts";

interface AuthValue {
  userManager: UserManager;
  user: User | null;
  /** False until the user store has been read once (a sign-in redirect must wait for it). */
  ready: boolean;
  /** True from "Sign out" on: the user is going away on purpose, nobody should sign in again. */
  signingOut: boolean;
  /** Sends the browser to sign in, coming back to `returnTo` (a path of the portal). */
  signIn: (returnTo: string) => Promise<void>;
  /** Revokes the refresh token and ends the session at the control plane. */
  signOut: () => Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ userManager, children }: { userManager: UserManager; children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [ready, setReady] = useState(false);
  const [signingOut, setSigningOut] = useState(false);

  useEffect(() => {
    let live = true;
    void userManager.getUser().then((loaded) => {
      if (!live) return;
      if (loaded && !loaded.expired) setUser(loaded);
      setReady(true);
    });
    const onLoaded = (loaded: User) => setUser(loaded);
    const onUnloaded = () => setUser(null);
    userManager.events.addUserLoaded(onLoaded);
    userManager.events.addUserUnloaded(onUnloaded);
    userManager.events.addSilentRenewError(onUnloaded);
    // Sign-in attempts abandoned half way leave state behind; drop what is stale.
    void userManager.clearStaleState();
    return () => {
      live = false;
      userManager.events.removeUserLoaded(onLoaded);
      userManager.events.removeUserUnloaded(onUnloaded);
      userManager.events.removeSilentRenewError(onUnloaded);
    };
  }, [userManager]);

  const signIn = useCallback(
    (returnTo: string) => userManager.signinRedirect({ state: { returnTo } }),
    [userManager],
  );

  const signOut = useCallback(async () => {
    // Ending the session removes the user before the browser leaves; without this flag RequireAuth would see no
    // user and race the logout redirect with a sign-in redirect (which the still-valid cookie would answer).
    setSigningOut(true);
    try {
      const current = await userManager.getUser();
      try {
        if (current?.refresh_token) await userManager.revokeTokens(["refresh_token"]);
      } finally {
        await userManager.signoutRedirect({ id_token_hint: current?.id_token });
      }
    } catch (error) {
      setSigningOut(false);
      throw error;
    }
  }, [userManager]);

  const value = useMemo(
    () => ({ userManager, user, ready, signingOut, signIn, signOut }),
    [userManager, user, ready, signingOut, signIn, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth outside AuthProvider");
  return value;
}
