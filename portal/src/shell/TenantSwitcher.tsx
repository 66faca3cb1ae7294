import { useId } from "react";
import { useLocation, useNavigate } from "react-router";
import type { Membership } from "../api/me";

/** The same page of another tenant: `/t/a/members` → `/t/b/members`; a collection's detail → the list. */
export function switchTenantPath(pathname: string, tenantId: string): string {
  const section = /^\/t\/[^/]+\/([^/]+)/.exec(pathname)?.[1] ?? "overview";
  return `/t/${encodeURIComponent(tenantId)}/${section}`;
}

interface TenantSwitcherProps {
  memberships: readonly Membership[];
  /** The tenant shown now, when the page is a tenant's. */
  current: string | undefined;
}

/** A select labelled "Tenant" listing the person's memberships (and the tenant shown, for an operator). */
export function TenantSwitcher({ memberships, current }: TenantSwitcherProps) {
  const id = useId();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const known = current === undefined || memberships.some((m) => m.tenant_id === current);
  if (memberships.length === 0 && current === undefined) return null;

  return (
    <div className="tenant-switcher">
      <label htmlFor={id}>Tenant</label>
      <select
        id={id}
        value={current ?? ""}
        onChange={(e) => void navigate(switchTenantPath(pathname, e.target.value))}
      >
        {current === undefined && (
          <option value="" disabled>
            Choose a tenant
          </option>
        )}
        {!known && <option value={current}>{current}</option>}
        {memberships.map((m) => (
          <option key={m.tenant_id} value={m.tenant_id}>
            {m.tenant_name} ({m.role})
          </option>
        ))}
      </select>
    </div>
  );
}
