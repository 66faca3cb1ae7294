import { useId } from "react";
import { TimeSeriesChart } from "../../components/TimeSeriesChart";
import { PageState } from "../../components/PageState";
import { METRICS_WINDOWS, type MetricsSummary, type MetricsWindow } from "./metricsQueries";

const number = new Intl.NumberFormat("en", { maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
const perSecond = (v: number) => `${number.format(v)}/s`;
const ms = (v: number) => `${number.format(v)} ms`;
const count = (v: number) => compact.format(v);

/** Bytes in binary units (the engine's memory and storage). */
export function formatBytes(v: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${number.format(v)} ${units[i]}`;
}

interface MetricsChartsProps {
  /** Heading of the section. */
  heading: string;
  window: MetricsWindow;
  onWindow: (window: MetricsWindow) => void;
  query: { isPending: boolean; error: unknown; data?: MetricsSummary };
  /** Adds the operators' charts: engines and their memory. */
  platform?: boolean;
}

/** The charts of a metrics summary with its window picker, and its loading, failed and empty states. */
export function MetricsCharts({ heading, window, onWindow, query, platform }: MetricsChartsProps) {
  const pickerId = useId();
  const data = query.data;
  const points = data?.points ?? [];
  const times = points.map((p) => p.time ?? "");
  const step = data?.step_seconds ?? 60;
  const stepWords = `${step >= 3600 ? `${step / 3600} h` : `${step / 60} min`} steps`;
  const noRequests = data !== undefined && (data.totals.requests ?? 0) === 0;

  return (
    <section aria-labelledby={`${pickerId}-h`}>
      <h2 id={`${pickerId}-h`}>{heading}</h2>
      <div className="window-picker">
        <label htmlFor={pickerId}>Window</label>
        <select id={pickerId} value={window} onChange={(e) => onWindow(e.target.value as MetricsWindow)}>
          {METRICS_WINDOWS.map((w) => (
            <option key={w.value} value={w.value}>
              {w.label}
            </option>
          ))}
        </select>
        {data && <span className="muted">{stepWords}, UTC</span>}
      </div>
      <PageState loading={query.isPending} label="Loading metrics" error={query.error}>
        {data && (
          <>
            {noRequests && <p className="muted">No data requests in this window yet.</p>}
            <div className="ts-charts">
              <TimeSeriesChart
                title="Requests per second"
                times={times}
                series={[{ name: "Requests/s", color: "#1f5fbf", values: points.map((p) => p.request_rate ?? 0) }]}
                format={perSecond}
                emptyMessage="No requests in this window."
              />
              <TimeSeriesChart
                title="Errors per step"
                times={times}
                series={[
                  { name: "4xx", color: "#d97706", values: points.map((p) => p.client_errors ?? 0) },
                  { name: "5xx", color: "#b91c1c", values: points.map((p) => p.server_errors ?? 0) },
                ]}
                format={count}
                emptyMessage="No errors in this window."
              />
              <TimeSeriesChart
                title="Latency at the gateway"
                times={times}
                series={[
                  { name: "p50", color: "#1f5fbf", values: points.map((p) => p.latency_p50_ms ?? null) },
                  { name: "p99", color: "#7c3aed", values: points.map((p) => p.latency_p99_ms ?? null) },
                ]}
                format={ms}
                emptyMessage="No requests, so no latency, in this window."
              />
              <TimeSeriesChart
                title="Storage"
                times={times}
                series={[{ name: "Bytes on disk", color: "#059669", values: points.map((p) => p.storage_bytes ?? null) }]}
                format={formatBytes}
                emptyMessage="No storage sample in this window yet (engines are sampled every minute)."
              />
              {platform && (
                <>
                  <TimeSeriesChart
                    title="Engines running"
                    times={times}
                    series={[{ name: "Engines", color: "#0f766e", values: points.map((p) => p.engines ?? null) }]}
                    format={count}
                    emptyMessage="No engine sampled in this window yet."
                  />
                  <TimeSeriesChart
                    title="Engines' memory"
                    times={times}
                    series={[{ name: "Working set", color: "#9333ea", values: points.map((p) => p.memory_bytes ?? null) }]}
                    format={formatBytes}
                    emptyMessage="No engine sampled in this window yet."
                  />
                </>
              )}
            </div>
          </>
        )}
      </PageState>
    </section>
  );
}
