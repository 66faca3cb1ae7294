import type { components } from "../generated/openapi";

/** Answers shaped by docs/openapi.json's schemas (typed by them, so a changed schema breaks these at compile time). */
type S = components["schemas"];

export const TENANT_ID = "acme";
export const OWNER_ID = "3f2c6a4e-0000-4000-8000-000000000001";
export const ADMIN_ID = "3f2c6a4e-0000-4000-8000-000000000002";
export const VIEWER_ID = "3f2c6a4e-0000-4000-8000-000000000003";

export function me(role: string | null, platformAdmin = false, id = OWNER_ID): S["MeInfo"] {
  return {
    id,
    email: "ada@example.com",
    platform_admin: platformAdmin,
    totp_enabled: false,
    memberships: role === null ? [] : [{ tenant_id: TENANT_ID, tenant_name: "acme", role }],
  };
}

export const activeKey: S["ApiKeyInfo"] = {
  id: "0123456789abcdef",
  tenant_id: TENANT_ID,
  name: "search-service",
  role: "read_only",
  collections: ["movies"],
  created_at: "2026-11-01T10:00:00Z",
  expires_at: "2027-01-01T00:00:00Z",
  revoked_at: null,
  rotated_at: null,
  previous_secret_expires_at: null,
  last_used_at: "2026-12-06T08:41:00Z",
};

export const revokedKey: S["ApiKeyInfo"] = {
  id: "fedcba9876543210",
  tenant_id: TENANT_ID,
  name: "old-batch-job",
  role: "read_write",
  collections: [],
  created_at: "2026-10-01T10:00:00Z",
  expires_at: null,
  revoked_at: "2026-11-15T08:00:00Z",
  rotated_at: null,
  previous_secret_expires_at: null,
  last_used_at: null,
};

/** A full key as create and rotate answer it, once. */
export const SECRET = "pk_aaaaaaaaaaaaaaaa_Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg";

export const collections: S["CollectionList"] = {
  collections: [
    {
      name: "books",
      dimension: 4,
      metric: "cosine",
      index: { type: "flat" },
      quantization: "none",
      status: "ready",
      count: 0,
    },
    {
      name: "movies",
      dimension: 4,
      metric: "cosine",
      index: { type: "flat" },
      quantization: "none",
      status: "ready",
      count: 0,
    },
  ],
};

export const members: S["MemberList"] = {
  members: [
    { user_id: OWNER_ID, email: "ada@example.com", role: "owner", created_at: "2026-10-01T10:00:00Z" },
    { user_id: ADMIN_ID, email: "grace@example.com", role: "admin", created_at: "2026-10-02T10:00:00Z" },
    { user_id: VIEWER_ID, email: "linus@example.com", role: "viewer", created_at: "2026-10-03T10:00:00Z" },
  ],
};

export function auditEvent(id: number, actor: string, action: string, time: string): S["AuditEventInfo"] {
  return {
    id,
    time,
    actor,
    action,
    target_type: "api_key",
    target_id: "0123456789abcdef",
    tenant_id: TENANT_ID,
    before: null,
    after: { name: "k" },
    request_id: `req-${id}`,
  };
}

// The example body of PUT /v1/plans/{id} in docs/openapi.json, as GET /v1/plans lists it.
export const proPlan: S["PlanInfo"] = {
  id: "pro",
  name: "Pro",
  max_collections: 100,
  max_points: 10000000,
  max_storage_bytes: 107374182400,
  max_dimension: 4096,
  read_rate_per_second: 500,
  read_burst: 1000,
  write_rate_per_second: 100,
  write_burst: 200,
  monthly_read_units: 100000000,
  monthly_write_units: 10000000,
  max_requests_in_flight: 64,
  engine_memory_bytes: 2147483648,
  audit_retention_days: 365,
};

export const freePlan: S["PlanInfo"] = { ...proPlan, id: "free", name: "Free", max_collections: 5, max_points: 100000 };

export function tenant(
  id: string,
  name: string,
  status: "active" | "suspended" | "deleted" = "active",
  plan = "free",
): S["TenantInfo"] {
  return {
    id,
    name,
    plan,
    status,
    engine_state: status === "active" ? "running" : "stopped",
    created_at: "2026-10-01T10:00:00Z",
    updated_at: "2026-10-01T10:00:00Z",
    purge_after: null,
  };
}

export function usage(tenantId: string, read: number, write: number): S["TenantUsage"] {
  return {
    tenant_id: tenantId,
    from: "2026-12-01",
    to: "2026-12-06",
    read_units: read,
    write_units: write,
    monthly_read_units_quota: 1000000,
    monthly_write_units_quota: 100000,
    days: [],
  };
}
