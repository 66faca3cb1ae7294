import { useId, useState } from "react";
import { Link } from "react-router";
import { PageState } from "../../components/PageState";
import { DataTable, type Column } from "../../components/DataTable";
import { CreateTenantForm } from "./CreateTenantForm";
import { formatUnits, matchesTenant } from "./tenantList";
import { PaymentStatusBadge } from "../billing/PaymentStatusBadge";
import { useAdminActions, useMonthUsage, usePlans, useTenants, type TenantInfo } from "./adminQueries";
import "../shared/managementPages.css";

/** At most this many tenants are shown (and have their usage asked for) at once; the search narrows the rest. */
export const TENANTS_SHOWN = 50;

/** `/admin/tenants` (operators): every tenant with plan, status, engine state, payment status and this month's units; create one. */
export function TenantsPage({ now = () => new Date() }: { now?: () => Date }) {
  const searchId = useId();
  const tenants = useTenants();
  const plans = usePlans();
  const { createTenant } = useAdminActions();
  const [query, setQuery] = useState("");

  const matching = (tenants.data?.tenants ?? []).filter((t) => matchesTenant(t, query));
  const shown = matching.slice(0, TENANTS_SHOWN);
  const usage = useMonthUsage(
    shown.map((t) => t.id),
    now(),
  );
  const usageOf = new Map(shown.map((t, i) => [t.id, usage[i]]));

  const units = (t: TenantInfo, kind: "read" | "write") => {
    const u = usageOf.get(t.id);
    if (!u || u.isPending) return "…";
    if (u.error) return <span title={u.error.message}>unavailable</span>;
    return kind === "read"
      ? formatUnits(u.data?.read_units, u.data?.monthly_read_units_quota)
      : formatUnits(u.data?.write_units, u.data?.monthly_write_units_quota);
  };

  const columns: Column<TenantInfo>[] = [
    { header: "Name", cell: (t) => <Link to={`/admin/tenants/${encodeURIComponent(t.id)}`}>{t.name}</Link> },
    { header: "Id", cell: (t) => <code>{t.id}</code> },
    { header: "Plan", cell: (t) => t.plan },
    { header: "Status", cell: (t) => t.status },
    { header: "Engine", cell: (t) => t.engine_state ?? "—" },
    { header: "Payment", cell: (t) => <PaymentStatusBadge status={t.payment_status} writesRefusedFrom={t.writes_refused_from} /> },
    { header: "Read units this month", cell: (t) => units(t, "read"), numeric: true },
    { header: "Write units this month", cell: (t) => units(t, "write"), numeric: true },
  ];

  return (
    <section>
      <h1>Tenants</h1>
      <CreateTenantForm plans={plans.data?.plans ?? []} onCreate={(body) => createTenant.mutateAsync(body)} />
      <h2>All tenants</h2>
      <div className="toolbar">
        <div className="field">
          <label htmlFor={searchId}>Search (name or id)</label>
          <input
            id={searchId}
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            spellCheck={false}
          />
        </div>
        {matching.length > TENANTS_SHOWN && (
          <p className="muted" role="status">
            Showing the first {TENANTS_SHOWN} of {matching.length}; search to narrow.
          </p>
        )}
      </div>
      <PageState
        loading={tenants.isPending}
        label="Loading tenants"
        error={tenants.error}
        empty={shown.length === 0}
        emptyMessage={<p>{query.trim() ? `No tenant's name or id contains "${query.trim()}".` : "No tenants yet."}</p>}
      >
        <DataTable caption="Tenants" columns={columns} rows={shown} rowKey={(t) => t.id} />
      </PageState>
    </section>
  );
}
