import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "../../generated/openapi";
import { useApi } from "../../api/ApiContext";
import { unwrap } from "../../api/client";

export type BackupInfo = components["schemas"]["BackupInfo"];
export type OperationInfo = components["schemas"]["OperationInfo"];
export type RestoreRequest = components["schemas"]["RestoreRequest"];

const backupsKey = (tenantId: string) => ["tenant", tenantId, "backups"] as const;

/** How often a running operation, and the list while one runs, are asked for again. */
export const POLL_MS = 1_000;

export const isFinal = (op: OperationInfo) => op.state === "succeeded" || op.state === "failed";

/** `GET /v1/tenants/{id}/backups`: newest first; asked again every second while one is being made. */
export function useBackups(tenantId: string) {
  const api = useApi();
  return useQuery({
    queryKey: backupsKey(tenantId),
    queryFn: () => unwrap(api.GET("/v1/tenants/{id}/backups", { params: { path: { id: tenantId } } })),
    refetchInterval: (query) =>
      query.state.data?.backups.some((b) => b.state === "pending" || b.state === "running") ? POLL_MS : false,
  });
}

/** `GET /v1/tenants/{id}/operations/{op_id}` until it succeeds or fails; then the backups are listed again. */
export function useOperation(tenantId: string, operationId: string | undefined) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: ["tenant", tenantId, "operations", operationId],
    enabled: operationId !== undefined,
    queryFn: async () => {
      const op = await unwrap(
        api.GET("/v1/tenants/{id}/operations/{op_id}", { params: { path: { id: tenantId, op_id: operationId! } } }),
      );
      if (isFinal(op)) await queryClient.invalidateQueries({ queryKey: backupsKey(tenantId) });
      return op;
    },
    refetchInterval: (query) => (query.state.data && isFinal(query.state.data) ? false : POLL_MS),
  });
}

/** Back up now, restore (a backup or a point in time) and delete; each answers the operation to follow, if any. */
export function useBackupActions(tenantId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: backupsKey(tenantId) });
  const backUp = useMutation({
    mutationFn: () =>
      unwrap(api.POST("/v1/tenants/{id}/backups", { params: { path: { id: tenantId } }, body: {} })),
    onSettled: refresh,
  });
  const restore = useMutation({
    mutationFn: (body: RestoreRequest) =>
      unwrap(api.POST("/v1/tenants/{id}/restore", { params: { path: { id: tenantId } }, body })),
  });
  const remove = useMutation({
    mutationFn: (backupId: string) =>
      unwrap(
        api.DELETE("/v1/tenants/{id}/backups/{backup_id}", {
          params: { path: { id: tenantId, backup_id: backupId } },
        }),
      ),
    onSettled: refresh,
  });
  return { backUp, restore, remove };
}
