import { useEffect, useId, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { PageState } from "../../components/PageState";
import { ProblemMessage } from "../../components/ProblemMessage";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { formatTime } from "../shared/formatTime";
import { useAdminActions, usePlans, useTenant } from "./adminQueries";
import "../shared/managementPages.css";

const TENANT_PAGES = [
  ["overview", "Overview"],
  ["collections", "Collections"],
  ["api-keys", "API keys"],
  ["members", "Members"],
  ["audit", "Audit log"],
] as const;

type Dialog = "suspend" | "delete" | null;

/** `/admin/tenants/:tenantId` (operators): the tenant's facts; change plan, suspend, resume, delete; its own pages. */
export function TenantDetailPage() {
  const { tenantId = "" } = useParams();
  const planId = useId();
  const navigate = useNavigate();
  const tenant = useTenant(tenantId);
  const plans = usePlans();
  const { changePlan, suspend, resume, remove } = useAdminActions();
  const [plan, setPlan] = useState("");
  const [dialog, setDialog] = useState<Dialog>(null);
  const [status, setStatus] = useState("");
  const [failure, setFailure] = useState<unknown>(null);
  const t = tenant.data;

  useEffect(() => {
    if (t) setPlan(t.plan);
  }, [t]);

  async function run(action: () => Promise<unknown>, done: string) {
    setFailure(null);
    setStatus("");
    try {
      await action();
      await tenant.refetch();
      setStatus(done);
    } catch (error) {
      setFailure(error);
    }
  }

  function savePlan(event: FormEvent) {
    event.preventDefault();
    if (!t || plan === t.plan) return;
    void run(() => changePlan.mutateAsync({ id: t.id, plan }), `Plan changed to ${plan}.`);
  }

  const deleted = t?.status === "deleted";

  return (
    <section>
      <p>
        <Link to="/admin/tenants">All tenants</Link>
      </p>
      <h1>Tenant {t ? t.name : tenantId}</h1>
      <PageState loading={tenant.isPending} label="Loading the tenant" error={tenant.error}>
        {t && (
          <>
            <dl className="facts">
              <dt>Id</dt>
              <dd>
                <code>{t.id}</code>
              </dd>
              <dt>Status</dt>
              <dd>{t.status}</dd>
              <dt>Engine</dt>
              <dd>{t.engine_state ?? "—"}</dd>
              <dt>Plan</dt>
              <dd>{t.plan}</dd>
              <dt>Created</dt>
              <dd>{formatTime(t.created_at)}</dd>
              {t.purge_after && (
                <>
                  <dt>Data purged after</dt>
                  <dd>{formatTime(t.purge_after)}</dd>
                </>
              )}
            </dl>
            {!deleted && (
              <nav aria-label="The tenant's pages">
                <ul className="facts-links">
                  {TENANT_PAGES.map(([path, label]) => (
                    <li key={path}>
                      <Link to={`/t/${encodeURIComponent(t.id)}/${path}`}>{label}</Link>
                    </li>
                  ))}
                </ul>
              </nav>
            )}
            <p role="status" aria-live="polite">
              {status}
            </p>
            <ProblemMessage error={failure} />
            {!deleted && (
              <>
                <form onSubmit={savePlan} className="row">
                  <div className="field">
                    <label htmlFor={planId}>Plan</label>
                    <select id={planId} value={plan} onChange={(e) => setPlan(e.target.value)} disabled={!plans.data}>
                      {!plans.data?.plans.some((p) => p.id === t.plan) && <option value={t.plan}>{t.plan}</option>}
                      {plans.data?.plans.map((p) => (
                        <option key={p.id ?? ""} value={p.id ?? ""}>
                          {p.name && p.name !== p.id ? `${p.name} (${p.id})` : p.id}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div className="field">
                    <button type="submit" disabled={plan === t.plan || changePlan.isPending}>
                      Change plan
                    </button>
                  </div>
                </form>
                <ProblemMessage error={plans.error} prefix="Plans could not be listed:" />
                <h2>State</h2>
                <div className="row-actions">
                  {t.status === "suspended" ? (
                    <button
                      type="button"
                      onClick={() =>
                        void run(() => resume.mutateAsync(t.id), "Tenant resumed: it serves requests again.")
                      }
                    >
                      Resume
                    </button>
                  ) : (
                    <button type="button" onClick={() => setDialog("suspend")}>
                      Suspend
                    </button>
                  )}
                  <button type="button" className="danger" onClick={() => setDialog("delete")}>
                    Delete
                  </button>
                </div>
              </>
            )}
            {dialog === "suspend" && (
              <ConfirmDialog
                title="Suspend tenant"
                confirmLabel="Suspend tenant"
                onCancel={() => setDialog(null)}
                onConfirm={async () => {
                  await suspend.mutateAsync(t.id);
                  setDialog(null);
                  await run(
                    () => Promise.resolve(),
                    "Tenant suspended: every data request is refused; its data is kept.",
                  );
                }}
              >
                <p>
                  Every data request of <strong>{t.name}</strong> gets 403 <code>tenant-suspended</code> until it is
                  resumed. Its data is kept.
                </p>
              </ConfirmDialog>
            )}
            {dialog === "delete" && (
              <ConfirmDialog
                title="Delete tenant"
                confirmLabel="Delete tenant"
                typeToConfirm={t.name}
                onCancel={() => setDialog(null)}
                onConfirm={async () => {
                  await remove.mutateAsync(t.id);
                  setDialog(null);
                  void navigate("/admin/tenants");
                }}
              >
                <p>
                  Its keys stop at once, its engine stops, and its data is purged after the retention period. This
                  cannot be undone.
                </p>
              </ConfirmDialog>
            )}
          </>
        )}
      </PageState>
    </section>
  );
}
