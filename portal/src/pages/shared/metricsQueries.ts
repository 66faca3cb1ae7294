import { useQuery } from "@tanstack/react-query";
import type { components } from "../../generated/openapi";
import { useApi } from "../../api/ApiContext";
import { unwrap } from "../../api/client";

export type MetricsSummary = components["schemas"]["MetricsSummary"];
export type MetricsWindow = "1h" | "24h" | "7d";

/** The windows the API offers, with the words the picker shows. */
export const METRICS_WINDOWS: { value: MetricsWindow; label: string }[] = [
  { value: "1h", label: "Last hour" },
  { value: "24h", label: "Last 24 hours" },
  { value: "7d", label: "Last 7 days" },
];

// The newest step fills as requests arrive: read it again every 30 s while the page is open.
const refetchInterval = 30_000;

/** `GET /v1/tenants/{id}/metrics?window=` (owners, admins and operators). */
export function useTenantMetrics(tenantId: string, window: MetricsWindow) {
  const api = useApi();
  return useQuery({
    queryKey: ["tenant", tenantId, "metrics", window],
    queryFn: () => unwrap(api.GET("/v1/tenants/{id}/metrics", { params: { path: { id: tenantId }, query: { window } } })),
    refetchInterval,
  });
}

/** `GET /v1/platform/metrics?window=` (operators): every tenant summed, with engines and memory. */
export function usePlatformMetrics(window: MetricsWindow) {
  const api = useApi();
  return useQuery({
    queryKey: ["platform", "metrics", window],
    queryFn: () => unwrap(api.GET("/v1/platform/metrics", { params: { query: { window } } })),
    refetchInterval,
  });
}
