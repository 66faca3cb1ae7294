import type { ReactNode } from "react";
import { canManage, roleIn, useMe } from "../../api/me";
import { PageState } from "../../components/PageState";
import { useTenantId } from "../../shell/useTenantId";

/**
 * A page whose API needs the tenant's `admin` (owners, admins, operators): the others read why instead of a form
 * whose every request would be a 403. The control plane still decides; this only spares the round trips.
 */
export function TenantAdminOnly({ title, what, children }: { title: string; what: string; children: ReactNode }) {
  const tenantId = useTenantId();
  const me = useMe();
  if (!me.data) {
    return (
      <section>
        <h1>{title}</h1>
        <PageState loading={me.isPending} error={me.error} />
      </section>
    );
  }
  if (!canManage(roleIn(me.data, tenantId), me.data.platform_admin)) {
    return (
      <section>
        <h1>{title}</h1>
        <PageState error={`Forbidden: only the tenant's owners and admins manage its ${what}.`} />
      </section>
    );
  }
  return <>{children}</>;
}
