import { useEffect, useRef, useState } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { useAuth } from "../../auth/AuthContext";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../../api/ApiContext";
import { unwrap } from "../../api/client";
import { PageState } from "../../components/PageState";

/** The invitation token from the link's fragment (`/invite#token=...`). */
export function inviteToken(hash: string): string | undefined {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("token")?.trim();
  return token ? token : undefined;
}

/** `/invite#token=...`: after sign-in, joins the tenant the invitation is for. */
export function InvitePage() {
  const api = useApi();
  const queryClient = useQueryClient();
  const { hash } = useLocation();
  const [token] = useState(() => inviteToken(hash));
  const started = useRef(false);
  const accept = useMutation({
    mutationFn: (value: string) => unwrap(api.POST("/v1/invitations/accept", { body: { token: value } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["me"] }),
  });

  useEffect(() => {
    if (!token || started.current) return;
    started.current = true;
    // The token is a secret: keep it out of the address bar and history once read.
    window.history.replaceState(window.history.state, "", window.location.pathname);
    accept.mutate(token);
  }, [token, accept]);

  return (
    <section>
      <h1>Invitation</h1>
      {!token ? (
        <PageState error="Invalid request: this link carries no invitation token (#token=...)." />
      ) : (
        <PageState loading={accept.isPending || accept.isIdle} label="Joining" error={accept.error}>
          {accept.data && (
            <p>
              You joined <strong>{accept.data.tenant_name}</strong> as {accept.data.role}.{" "}
              <Link to={`/t/${encodeURIComponent(accept.data.tenant_id)}/overview`}>Open its overview</Link>
            </p>
          )}
        </PageState>
      )}
    </section>
  );
}

/** `/invite` signed out: a new invitee first creates an account; one who has one signs in. Both come back here. */
export function InviteWelcome() {
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const { hash } = useLocation();
  const returnTo = `/invite${hash}`;
  return (
    <main className="center">
      <h1>You are invited</h1>
      <p>Sign in to accept the invitation, or create an account first if you have none.</p>
      <div className="actions">
        <button type="button" onClick={() => void navigate("/signup", { state: { returnTo } })}>
          Create an account
        </button>
        <button type="button" className="primary" onClick={() => void signIn(returnTo)}>
          Sign in
        </button>
      </div>
    </main>
  );
}
