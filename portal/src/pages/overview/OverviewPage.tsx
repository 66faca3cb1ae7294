import { useTenantId } from "../../shell/useTenantId";
import { useTenant } from "../../api/tenant";
import { PageState } from "../../components/PageState";

/** A tenant's plan, status and engine state. */
export function OverviewPage() {
  const tenantId = useTenantId();
  const tenant = useTenant(tenantId);
  return (
    <section>
      <h1>Overview</h1>
      <PageState loading={tenant.isPending} label="Loading the tenant" error={tenant.error}>
        {tenant.data && (
          <dl className="facts">
            <dt>Tenant</dt>
            <dd>{tenant.data.name}</dd>
            <dt>Plan</dt>
            <dd>{tenant.data.plan}</dd>
            <dt>Status</dt>
            <dd>{tenant.data.status}</dd>
            <dt>Engine</dt>
            <dd>{tenant.data.engine_state ?? "not started"}</dd>
          </dl>
        )}
      </PageState>
    </section>
  );
}
