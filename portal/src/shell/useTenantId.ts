import { useParams } from "react-router";

/** The tenant of a `/t/:tenantId/...` page. */
export function useTenantId(): string {
  const { tenantId } = useParams();
  if (!tenantId) throw new Error("useTenantId outside /t/:tenantId");
  return tenantId;
}
