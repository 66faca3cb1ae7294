import { lazy, Suspense, useState } from "react";
import { Link } from "react-router";
import { useTenantId } from "../../shell/useTenantId";
import { useTenant, useUsage } from "../../api/tenant";
import { useCollections } from "../../api/collections";
import { roleIn, useMe } from "../../api/me";
import { PageState } from "../../components/PageState";
import { fillDays, lastDays, thisMonth, useOf } from "./usageDays";
import { MetricsCharts } from "../shared/MetricsCharts";
import { useTenantMetrics, type MetricsWindow } from "../shared/metricsQueries";

// The chart library is most of the bundle: load it after the page's numbers are on screen.
const UsageChart = lazy(() => import("./UsageChart").then((m) => ({ default: m.UsageChart })));

const chartDays = 30;

function Meter({ label, used, max }: { label: string; used: number; max: number | null | undefined }) {
  return (
    <div className="card">
      <h2>{label}</h2>
      <p>{useOf(used, max)}</p>
      {max ? <meter className="meter" min={0} max={max} value={Math.min(used, max)} aria-label={label} /> : null}
    </div>
  );
}

/** A tenant's plan, quotas and their use, engine state, and its units per day. */
export function OverviewPage({ now: fixedNow }: { now?: Date }) {
  const tenantId = useTenantId();
  const [now] = useState(() => fixedNow ?? new Date());
  const month = thisMonth(now);
  const recent = lastDays(now, chartDays);
  const me = useMe();
  const tenant = useTenant(tenantId);
  const monthUsage = useUsage(tenantId, month);
  const recentUsage = useUsage(tenantId, recent);
  const [window, setWindow] = useState<MetricsWindow>("1h");
  const metrics = useTenantMetrics(tenantId, window);
  // Collections go through the member routes: an operator looking at a tenant of which they are not a member
  // sees the plan and usage only.
  const member = roleIn(me.data, tenantId) !== undefined;
  const collections = useCollections(tenantId, member);
  // The tenant's own answer carries its plan's limits, so every member sees the maximum (GET /v1/plans is operators' only).
  const limits = tenant.data?.limits;
  const list = collections.data?.collections ?? [];
  const points = list.reduce((sum, c) => sum + (c.count ?? 0), 0);

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
        {(tenant.data?.engine_state === "hibernating" || tenant.data?.engine_state === "waking") && (
          <p className="notice" role="status">
            {tenant.data.engine_state === "hibernating"
              ? "The engine is hibernating: it was idle longer than the plan allows, so it holds no memory. The next data request wakes it and is answered once it is up."
              : "The engine is waking for a request: its first answers come once it is up."}
          </p>
        )}
        {tenant.data?.status === "suspended" && (
          <p className="notice" role="status">
            This tenant is suspended by an operator: data requests are refused, the data is kept.
          </p>
        )}
      </PageState>

      <h2>This month</h2>
      <div className="cards">
        <PageState loading={monthUsage.isPending} label="Loading usage" error={monthUsage.error}>
          {monthUsage.data && (
            <>
              <Meter label="Read units" used={monthUsage.data.read_units ?? 0} max={monthUsage.data.monthly_read_units_quota} />
              <Meter label="Write units" used={monthUsage.data.write_units ?? 0} max={monthUsage.data.monthly_write_units_quota} />
            </>
          )}
        </PageState>
        {member && (
          <PageState loading={collections.isPending} label="Loading collections" error={collections.error}>
            <Meter label="Collections" used={list.length} max={limits?.max_collections} />
            <Meter label="Points" used={points} max={limits?.max_points} />
          </PageState>
        )}
      </div>
      {list.length === 0 && collections.isSuccess && (
        <p>
          No collections yet. <Link to={`/t/${encodeURIComponent(tenantId)}/collections`}>Create one</Link>
        </p>
      )}

      <MetricsCharts heading="Requests, errors, latency and storage" window={window} onWindow={setWindow} query={metrics} />

      <h2>Units per day</h2>
      <PageState loading={recentUsage.isPending} label="Loading usage per day" error={recentUsage.error}>
        {recentUsage.data && (
          <Suspense fallback={<PageState loading label="Loading the chart" />}>
            <UsageChart
              title={`Read and write units per day, ${recent.from} to ${recent.to} (UTC)`}
              days={fillDays(recentUsage.data, recent.from, recent.to)}
            />
          </Suspense>
        )}
      </PageState>
    </section>
  );
}
