import { useInfiniteQuery } from "@tanstack/react-query";
import type { components } from "../../generated/openapi";
import { useApi } from "../../api/ApiContext";
import { unwrap } from "../../api/client";
import { toApiError } from "../../api/problem";
import { exportQuery, NDJSON } from "./auditExport";
import type { AuditRange } from "./auditFilter";

export type AuditEvent = components["schemas"]["AuditEventInfo"];
export type AuditEventList = components["schemas"]["AuditEventList"];

/** Events per page of the table (the API allows 1-1,000). */
export const AUDIT_PAGE_SIZE = 200;

/** `GET /v1/tenants/{id}/audit` page by page (oldest first), each next page from the previous `next_cursor`. */
export function useAuditPages(tenantId: string, range: AuditRange) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: ["tenant", tenantId, "audit", range],
    initialPageParam: undefined as string | undefined,
    // The document types both answers (JSON and the NDJSON export); without the NDJSON Accept it is the JSON page.
    queryFn: async ({ pageParam }) =>
      (await unwrap(
        api.GET("/v1/tenants/{id}/audit", {
          params: { path: { id: tenantId }, query: { ...range, cursor: pageParam, limit: AUDIT_PAGE_SIZE } },
        }),
      )) as AuditEventList,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** The export: every event of the range as NDJSON text (`Accept: application/x-ndjson`), as the server sent it. */
export function useAuditExport(tenantId: string) {
  const api = useApi();
  return async (range: AuditRange): Promise<string> => {
    const { data, error, response } = await api.GET("/v1/tenants/{id}/audit", {
      params: { path: { id: tenantId }, query: exportQuery(range) },
      headers: { Accept: NDJSON },
      parseAs: "text",
    });
    if (!response.ok) throw toApiError(response, await problemBody(error));
    return (data as unknown as string) ?? "";
  };
}

// With parseAs "text" an error body arrives as text; a problem is JSON inside it.
async function problemBody(error: unknown): Promise<unknown> {
  if (typeof error !== "string") return error;
  try {
    return JSON.parse(error);
  } catch {
    return undefined;
  }
}
