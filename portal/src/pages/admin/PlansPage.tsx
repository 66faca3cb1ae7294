import { useState } from "react";
import { PageState } from "../../components/PageState";
import { DataTable, type Column } from "../../components/DataTable";
import { PlanEditor } from "./PlanEditor";
import { useAdminActions, usePlans, type PlanInfo } from "./adminQueries";
import "../shared/managementPages.css";

const n = (v: number | null | undefined) => (v === null || v === undefined ? "—" : v.toLocaleString("en-US"));

/** `/admin/plans` (operators): the plans' quotas and rate limits; "Edit" one, "Save" replaces it (limits apply at once). */
export function PlansPage() {
  const plans = usePlans();
  const { savePlan } = useAdminActions();
  const [editing, setEditing] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const rows = plans.data?.plans ?? [];
  const current = rows.find((p) => p.id === editing);

  const columns: Column<PlanInfo>[] = [
    { header: "Plan", cell: (p) => (p.name && p.name !== p.id ? `${p.name} (${p.id})` : p.id) },
    { header: "Collections", cell: (p) => n(p.max_collections), numeric: true },
    { header: "Points", cell: (p) => n(p.max_points), numeric: true },
    { header: "Reads/s (burst)", cell: (p) => `${n(p.read_rate_per_second)} (${n(p.read_burst)})`, numeric: true },
    {
      header: "Writes/s (burst)",
      cell: (p) => `${n(p.write_rate_per_second)} (${n(p.write_burst)})`,
      numeric: true,
    },
    { header: "Monthly read units", cell: (p) => n(p.monthly_read_units), numeric: true },
    { header: "Monthly write units", cell: (p) => n(p.monthly_write_units), numeric: true },
    {
      header: "Actions",
      cell: (p) => (
        <button type="button" onClick={() => setEditing(p.id ?? null)} aria-pressed={editing === p.id}>
          Edit
        </button>
      ),
    },
  ];

  return (
    <section>
      <h1>Plans</h1>
      <p role="status" aria-live="polite">
        {status}
      </p>
      <PageState
        loading={plans.isPending}
        label="Loading plans"
        error={plans.error}
        empty={rows.length === 0}
        emptyMessage={<p>No plans.</p>}
      >
        <DataTable caption="Plans" columns={columns} rows={rows} rowKey={(p) => p.id ?? ""} />
      </PageState>
      {current && (
        <PlanEditor
          key={current.id}
          plan={current}
          onCancel={() => setEditing(null)}
          onSave={async (body) => {
            const saved = await savePlan.mutateAsync({ id: current.id ?? "", body });
            setEditing(null);
            setStatus(`Plan ${saved.id ?? current.id} saved; its tenants have the new limits.`);
          }}
        />
      )}
    </section>
  );
}
