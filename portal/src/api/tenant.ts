import { useQuery } from "@tanstack/react-query";
import type { components } from "../generated/openapi";
import { useApi } from "./ApiContext";
import { unwrap } from "./client";

export type TenantInfo = components["schemas"]["TenantInfo"];
export type TenantUsage = components["schemas"]["TenantUsage"];

/** `GET /v1/tenants/{id}`: name, plan, status and engine state (any member may read it). */
export function useTenant(tenantId: string) {
  const api = useApi();
  return useQuery({
    queryKey: ["tenant", tenantId],
    queryFn: () => unwrap(api.GET("/v1/tenants/{id}", { params: { path: { id: tenantId } } })),
  });
}

/** `GET /v1/tenants/{id}/usage?from=&to=` (owners and admins): units per UTC day, totals, monthly quotas. */
export function useUsage(tenantId: string, range: { from: string; to: string }) {
  const api = useApi();
  return useQuery({
    queryKey: ["usage", tenantId, range.from, range.to],
    queryFn: () =>
      unwrap(api.GET("/v1/tenants/{id}/usage", { params: { path: { id: tenantId }, query: range } })),
  });
}

export type PlanInfo = components["schemas"]["PlanInfo"];
