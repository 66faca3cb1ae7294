import { useQuery } from "@tanstack/react-query";
import type { components } from "../../generated/openapi";
import { useApi } from "../../api/ApiContext";
import { unwrap } from "../../api/client";
import { ApiError } from "../../api/problem";
import { ProblemMessage } from "../../components/ProblemMessage";
import { formatTime } from "../shared/formatTime";

export type AuditSinkInfo = components["schemas"]["AuditSinkInfo"];

/** `GET /v1/tenants/{id}/audit/sink`; null when the tenant has none (a 404). */
export function useAuditSink(tenantId: string) {
  const api = useApi();
  return useQuery({
    queryKey: ["tenant", tenantId, "audit", "sink"],
    queryFn: async (): Promise<AuditSinkInfo | null> => {
      try {
        return await unwrap(api.GET("/v1/tenants/{id}/audit/sink", { params: { path: { id: tenantId } } }));
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },
  });
}

/**
 * The continuous export's state: where it goes, whether it delivers, its backlog, and any gap (events retention deleted
 * before the sink received them, `audit_sink.gap`), which an auditor must know of.
 */
export function AuditSinkStatus({ tenantId }: { tenantId: string }) {
  const sink = useAuditSink(tenantId);
  if (sink.isPending) return null;
  if (sink.error) return <ProblemMessage error={sink.error} />;
  const s = sink.data;
  return (
    <section aria-label="Continuous export">
      <h2>Continuous export</h2>
      {!s ? (
        <p>No continuous export is configured.</p>
      ) : (
        <dl>
          <dt>Destination</dt>
          <dd>{s.kind === "s3" ? `S3 ${s.endpoint ?? ""} ${s.bucket ?? ""}/${s.prefix ?? ""}` : `syslog ${s.host ?? ""}:${s.port ?? ""}`}</dd>
          <dt>State</dt>
          <dd>{s.state}</dd>
          <dt>Backlog</dt>
          <dd>{`${s.backlog ?? 0} entries`}</dd>
          {s.last_error && (
            <>
              <dt>Last error</dt>
              <dd>{`${s.last_error}${s.last_error_at ? ` (${formatTime(s.last_error_at)})` : ""}`}</dd>
            </>
          )}
          <dt>Gap</dt>
          <dd role="status">
            {(s.gap_events ?? 0) === 0
              ? "None: every event reached the sink"
              : `${s.gap_events} events were deleted before the sink received them${s.last_gap_at ? ` (last ${formatTime(s.last_gap_at)})` : ""}`}
          </dd>
        </dl>
      )}
    </section>
  );
}
