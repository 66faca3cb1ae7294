import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "../../generated/openapi";
import { useApi } from "../../api/ApiContext";
import { unwrap } from "../../api/client";
import type { InviteBody, MemberRole } from "./memberRules";

export type MemberInfo = components["schemas"]["MemberInfo"];
export type InvitationCreated = components["schemas"]["InvitationCreated"];

const membersKey = (tenantId: string) => ["tenant", tenantId, "members"] as const;

/** `GET /v1/tenants/{id}/members`: oldest first. */
export function useMembers(tenantId: string) {
  const api = useApi();
  return useQuery({
    queryKey: membersKey(tenantId),
    queryFn: () => unwrap(api.GET("/v1/tenants/{id}/members", { params: { path: { id: tenantId } } })),
  });
}

/** Invite, change a role, remove or leave; each refreshes the list (leaving also refreshes the person's memberships). */
export function useMemberActions(tenantId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: membersKey(tenantId) });
  // The link carries the invitation's token: a plain call, so that no react-query cache keeps it (see useApiKeyActions).
  const invite = (body: InviteBody) =>
    unwrap(api.POST("/v1/tenants/{id}/invitations", { params: { path: { id: tenantId } }, body }));
  const changeRole = useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: MemberRole }) =>
      unwrap(
        api.PATCH("/v1/tenants/{id}/members/{user_id}", {
          params: { path: { id: tenantId, user_id: userId } },
          body: { role },
        }),
      ),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: (userId: string) =>
      unwrap(
        api.DELETE("/v1/tenants/{id}/members/{user_id}", {
          params: { path: { id: tenantId, user_id: userId } },
        }),
      ),
    onSuccess: refresh,
  });
  const leave = useMutation({
    mutationFn: (userId: string) =>
      unwrap(
        api.DELETE("/v1/tenants/{id}/members/{user_id}", {
          params: { path: { id: tenantId, user_id: userId } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["me"] }),
  });
  return { invite, changeRole, remove, leave };
}
