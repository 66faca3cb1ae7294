import { useMutation, useQuery } from "@tanstack/react-query";
import type { components } from "../../generated/openapi";
import { useApi } from "../../api/ApiContext";
import { unwrap } from "../../api/client";

export type TenantBilling = components["schemas"]["TenantBilling"];
export type BillingInvoice = components["schemas"]["BillingInvoice"];

/** `GET /v1/tenants/{id}/billing`: plan, payment status, this month's usage and estimate, invoices. */
export function useBilling(tenantId: string) {
  const api = useApi();
  return useQuery({
    queryKey: ["tenant", tenantId, "billing"],
    queryFn: () => unwrap(api.GET("/v1/tenants/{id}/billing", { params: { path: { id: tenantId } } })),
  });
}

/** `POST .../billing/checkout` and `.../billing/portal`: each answers the Stripe session's URL to open. */
export function useBillingSessions(tenantId: string) {
  const api = useApi();
  const checkout = useMutation({
    mutationFn: () => unwrap(api.POST("/v1/tenants/{id}/billing/checkout", { params: { path: { id: tenantId } } })),
  });
  const portal = useMutation({
    mutationFn: () => unwrap(api.POST("/v1/tenants/{id}/billing/portal", { params: { path: { id: tenantId } } })),
  });
  return { checkout, portal };
}
