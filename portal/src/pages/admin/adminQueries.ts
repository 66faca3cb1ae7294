import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "../../generated/openapi";
import { useApi } from "../../api/ApiContext";
import { unwrap } from "../../api/client";
import type { PlanBody } from "./planForm";
import { thisMonthUtc } from "./tenantList";

export type TenantInfo = components["schemas"]["TenantInfo"];
export type PlanInfo = components["schemas"]["PlanInfo"];
export type TenantUsage = components["schemas"]["TenantUsage"];

/** `GET /v1/tenants`: every tenant, by name (operators). */
export function useTenants() {
  const api = useApi();
  return useQuery({ queryKey: ["admin", "tenants"], queryFn: () => unwrap(api.GET("/v1/tenants")) });
}

/** `GET /v1/tenants/{id}`. */
export function useTenant(tenantId: string) {
  const api = useApi();
  return useQuery({
    queryKey: ["admin", "tenants", tenantId],
    queryFn: () => unwrap(api.GET("/v1/tenants/{id}", { params: { path: { id: tenantId } } })),
  });
}

/** `GET /v1/plans`. */
export function usePlans() {
  const api = useApi();
  return useQuery({ queryKey: ["admin", "plans"], queryFn: () => unwrap(api.GET("/v1/plans")) });
}

/**
 * This month's usage of each listed tenant: one `GET /v1/tenants/{id}/usage` per tenant (N+1: the API has no
 * usage of many tenants at once), so the page asks only for the tenants it shows.
 */
export function useMonthUsage(tenantIds: readonly string[], now: Date) {
  const api = useApi();
  const month = thisMonthUtc(now);
  return useQueries({
    queries: tenantIds.map((id) => ({
      queryKey: ["tenant", id, "usage", month.from, month.to],
      queryFn: () => unwrap(api.GET("/v1/tenants/{id}/usage", { params: { path: { id }, query: month } })),
      staleTime: 60_000,
    })),
  });
}

/** Create, change plan, suspend, resume and delete tenants; save plans. Each refreshes what it changed. */
export function useAdminActions() {
  const api = useApi();
  const queryClient = useQueryClient();
  const refreshTenants = () => queryClient.invalidateQueries({ queryKey: ["admin", "tenants"] });
  const createTenant = useMutation({
    mutationFn: (body: { name: string; plan?: string }) => unwrap(api.POST("/v1/tenants", { body })),
    onSuccess: refreshTenants,
  });
  const changePlan = useMutation({
    mutationFn: ({ id, plan }: { id: string; plan: string }) =>
      unwrap(api.PATCH("/v1/tenants/{id}", { params: { path: { id } }, body: { plan } })),
    onSuccess: refreshTenants,
  });
  const suspend = useMutation({
    mutationFn: (id: string) => unwrap(api.POST("/v1/tenants/{id}/suspend", { params: { path: { id } } })),
    onSuccess: refreshTenants,
  });
  const resume = useMutation({
    mutationFn: (id: string) => unwrap(api.POST("/v1/tenants/{id}/resume", { params: { path: { id } } })),
    onSuccess: refreshTenants,
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/v1/tenants/{id}", { params: { path: { id } } })),
    onSuccess: refreshTenants,
  });
  const savePlan = useMutation({
    mutationFn: ({ id, body }: { id: string; body: PlanBody }) =>
      unwrap(api.PUT("/v1/plans/{id}", { params: { path: { id } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["admin", "plans"] }),
  });
  return { createTenant, changePlan, suspend, resume, remove, savePlan };
}
