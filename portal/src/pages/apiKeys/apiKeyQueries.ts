import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "../../generated/openapi";
import { useApi } from "../../api/ApiContext";
import { unwrap } from "../../api/client";
import type { ApiKeyCreateBody } from "./apiKeyForm";

export type ApiKeyInfo = components["schemas"]["ApiKeyInfo"];

const keysKey = (tenantId: string) => ["tenant", tenantId, "api-keys"] as const;

/** `GET /v1/tenants/{id}/api-keys`: the tenant's keys, newest first, revoked ones included (never secrets). */
export function useApiKeys(tenantId: string) {
  const api = useApi();
  return useQuery({
    queryKey: keysKey(tenantId),
    queryFn: () => unwrap(api.GET("/v1/tenants/{id}/api-keys", { params: { path: { id: tenantId } } })),
  });
}

/**
 * Create, rotate and revoke. Create and rotate answer the secret: they are plain calls, not mutations, so that no
 * cache of react-query (whose mutation cache keeps an answer for minutes) ever holds it; the page shows it once and
 * the list is fetched again.
 */
export function useApiKeyActions(tenantId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: keysKey(tenantId) });
  const create = async (body: ApiKeyCreateBody): Promise<ApiKeyInfo> => {
    const created = await unwrap(api.POST("/v1/tenants/{id}/api-keys", { params: { path: { id: tenantId } }, body }));
    void refresh();
    return created;
  };
  const rotate = async (keyId: string, graceSeconds: number): Promise<ApiKeyInfo> => {
    const rotated = await unwrap(
      api.POST("/v1/tenants/{id}/api-keys/{key_id}/rotate", {
        params: { path: { id: tenantId, key_id: keyId } },
        body: { grace_period_seconds: graceSeconds },
      }),
    );
    void refresh();
    return rotated;
  };
  const revoke = useMutation({
    mutationFn: (keyId: string) =>
      unwrap(api.DELETE("/v1/tenants/{id}/api-keys/{key_id}", { params: { path: { id: tenantId, key_id: keyId } } })),
    onSuccess: refresh,
  });
  return { create, rotate, revoke };
}

/** Where a key stands now: active, expired or revoked. */
export function keyStatus(key: ApiKeyInfo, now: Date): "active" | "expired" | "revoked" {
  if (key.revoked_at) return "revoked";
  if (key.expires_at && new Date(key.expires_at).getTime() <= now.getTime()) return "expired";
  return "active";
}
