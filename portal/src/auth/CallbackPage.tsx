import { useEffect, useState } from "react";
import { Link, useNavigate } from "react-router";
import type { UserManager } from "oidc-client-ts";
import { useAuth } from "./AuthContext";
import { safeReturnPath } from "./userManager";
import { PageState } from "../components/PageState";
import { errorText } from "../api/problem";

// A code can be redeemed once: React's development double effects must share one exchange per URL.
const exchanges = new Map<string, Promise<string>>();

function completeSignIn(userManager: UserManager, url: string): Promise<string> {
  let exchange = exchanges.get(url);
  if (!exchange) {
    exchange = userManager.signinRedirectCallback(url).then((user) => safeReturnPath(user.state));
    exchanges.set(url, exchange);
  }
  return exchange;
}

/** `/callback`: redeems the authorization code (the sign-in state is removed from storage) and goes back. */
export function CallbackPage() {
  const { userManager } = useAuth();
  const navigate = useNavigate();
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    completeSignIn(userManager, window.location.href).then(
      (returnTo) => {
        if (live) void navigate(returnTo, { replace: true });
      },
      (error: unknown) => {
        if (live) setFailure(`Signing in failed. ${errorText(error)}`);
      },
    );
    return () => {
      live = false;
    };
  }, [userManager, navigate]);

  if (failure) {
    return (
      <main className="center">
        <PageState error={failure} />
        <p>
          <Link to="/">Try again</Link>
        </p>
      </main>
    );
  }
  return <PageState loading label="Signing in" />;
}
