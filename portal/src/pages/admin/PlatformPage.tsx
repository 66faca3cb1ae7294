import { useState } from "react";
import { MetricsCharts, formatBytes } from "../shared/MetricsCharts";
import { usePlatformMetrics, type MetricsWindow } from "../shared/metricsQueries";

/** `/admin/platform`: the operators' overview: every tenant's requests, errors, latency and storage, and the engines. */
export function PlatformPage() {
  const [window, setWindow] = useState<MetricsWindow>("1h");
  const metrics = usePlatformMetrics(window);
  const totals = metrics.data?.totals;
  return (
    <section>
      <h1>Platform</h1>
      {totals && (
        <dl className="facts">
          <dt>Requests in the window</dt>
          <dd>{(totals.requests ?? 0).toLocaleString("en")}</dd>
          <dt>Errors (4xx / 5xx)</dt>
          <dd>
            {(totals.client_errors ?? 0).toLocaleString("en")} / {(totals.server_errors ?? 0).toLocaleString("en")}
          </dd>
          <dt>Engines</dt>
          <dd>{totals.engines ?? 0}</dd>
          <dt>Engines' memory</dt>
          <dd>{totals.memory_bytes == null ? "—" : formatBytes(totals.memory_bytes)}</dd>
        </dl>
      )}
      <MetricsCharts heading="Every tenant" window={window} onWindow={setWindow} query={metrics} platform />
    </section>
  );
}
