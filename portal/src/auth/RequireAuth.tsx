import { useEffect, useRef, useState, type ReactNode } from "react";
import { Outlet, useLocation } from "react-router";
import { useAuth } from "./AuthContext";
import { PageState } from "../components/PageState";
import { errorText } from "../api/problem";

/**
 * Renders its pages for a signed-in person; otherwise starts the sign-in redirect (silent when the control
 * plane's session cookie is still valid) and comes back to the same path, query and fragment. With `signedOut`,
 * shows that instead of redirecting.
 */
export function RequireAuth({ children, signedOut }: { children?: ReactNode; signedOut?: ReactNode }) {
  const { user, ready, signingOut, signIn } = useAuth();
  const location = useLocation();
  const started = useRef(false);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    if (!ready || user || started.current || signedOut || signingOut) return;
    started.current = true;
    signIn(location.pathname + location.search + location.hash).catch((error: unknown) => {
      started.current = false;
      setFailure(`Could not start signing in. ${errorText(error)}`);
    });
  }, [ready, user, signIn, location, signedOut, signingOut]);

  if (signingOut) return <PageState loading label="Signing out" />;
  if (user) return children ?? <Outlet />;
  if (failure) return <PageState error={failure} />;
  // Pages with their own signed-out view (an invitation) let the person choose to sign in or sign up.
  if (ready && signedOut) return signedOut;
  return <PageState loading label="Signing in" />;
}
