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
 * Create, rotate and revoke. The answers of create and rotate carry the secret: they are handed to the page
 * (shown once) and never written into the query cache; the list is fetched again instead.
 */
export function useApiKeyActions(tenantId: string) {
    const api = useApi();
    const queryClient = useQueryClient();
    const refresh = () => queryClient.invalidateQueries({ queryKey: keysKey(tenantId) });
    const create = useMutation({
        mutationFn: (body: ApiKeyCreateBody) =>
            unwrap(api.POST("/v1/tenants/{id}/api-keys", { params: { path: { id: tenantId } }, body })),
        onSuccess: refresh,
    });
    const rotate = useMutation({
        mutationFn: ({ keyId, graceSeconds }: { keyId: string; graceSeconds: number }) =>
            unwrap(
                api.POST("/v1/tenants/{id}/api-keys/{key_id}/rotate", {
                    params: { path: { id: tenantId, key_id: keyId } },
                    body: { grace_period_seconds: graceSeconds },
                }),
            ),
        onSuccess: refresh,
    });
    const revoke = useMutation({
        mutationFn: (keyId: string) =>
            unwrap(
                api.DELETE("/v1/tenants/{id}/api-keys/{key_id}", { params: { path: { id: tenantId, key_id: keyId } } }),
            ),
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
