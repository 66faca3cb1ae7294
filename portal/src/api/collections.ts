import { useQuery } from "@tanstack/react-query";
import type { components } from "../generated/openapi";
import { useApi } from "./ApiContext";
import { unwrap } from "./client";

export type CollectionInfo = components["schemas"]["CollectionInfo"];

/** `GET /v1/tenants/{id}/collections` with the member's token. */
export function useCollections(tenantId: string, enabled = true) {
  const api = useApi();
  return useQuery({
    enabled,
    queryKey: ["collections", tenantId],
    queryFn: () =>
      unwrap(api.GET("/v1/tenants/{tenant_id}/collections", { params: { path: { tenant_id: tenantId } } })),
  });
}

/** `GET /v1/tenants/{id}/collections/{name}`: count, size and settings. */
export function useCollection(tenantId: string, name: string) {
  const api = useApi();
  return useQuery({
    queryKey: ["collections", tenantId, name],
    queryFn: () =>
      unwrap(
        api.GET("/v1/tenants/{tenant_id}/collections/{name}", { params: { path: { tenant_id: tenantId, name } } }),
      ),
  });
}

export type PointOutput = components["schemas"]["PointOutput"];
export type ScoredPoint = components["schemas"]["ScoredPointOutput"];
export type SearchBody = components["schemas"]["SearchRequest"];
export type ScrollBody = components["schemas"]["ScrollRequest"];
