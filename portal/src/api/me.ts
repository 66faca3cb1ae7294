import { useQuery } from "@tanstack/react-query";
import type { components } from "../generated/openapi";
import { useApi } from "./ApiContext";
import { unwrap } from "./client";

export type Me = components["schemas"]["MeInfo"];
export type Membership = components["schemas"]["MembershipInfo"];

/** `GET /v1/me`: the signed-in person, their operator flag and memberships. */
export function useMe() {
  const api = useApi();
  return useQuery({
    queryKey: ["me"],
    queryFn: () => unwrap(api.GET("/v1/me")),
    staleTime: 60_000,
  });
}

/** The person's role in a tenant, or undefined when they are not a member (an operator looking in). */
export function roleIn(me: Me | undefined, tenantId: string): Membership["role"] | undefined {
  return me?.memberships.find((m) => m.tenant_id === tenantId)?.role;
}

/** Owners and admins manage collections, keys and members; developers write points; viewers read. */
export function canManage(role: string | undefined, platformAdmin = false): boolean {
  return platformAdmin || role === "owner" || role === "admin";
}

/**
 * Collections and points are reached through the member routes: only a member's role counts there (an operator
 * who is not a member gets 404), so the platform-admin flag grants nothing.
 */
export function canManageData(role: string | undefined): boolean {
  return role === "owner" || role === "admin";
}
