import { Navigate } from "react-router";
import { useMe } from "../api/me";
import { PageState } from "../components/PageState";

/** `/`: an operator's Platform page, a member's first tenant's overview, or a word that there is nothing yet. */
export function HomeRedirect() {
  const me = useMe();
  if (!me.data) return <PageState loading={me.isPending} error={me.error} />;
  // An operator comes for the platform's figures, also when a member of some tenant (the tenant switcher is one click).
  if (me.data.platform_admin) return <Navigate to="/admin/platform" replace />;
  const first = me.data.memberships[0];
  if (first) return <Navigate to={`/t/${encodeURIComponent(first.tenant_id)}/overview`} replace />;
  return (
    <section>
      <h1>No tenant yet</h1>
      <p>You are not a member of any tenant. Ask an owner for an invitation link.</p>
    </section>
  );
}
