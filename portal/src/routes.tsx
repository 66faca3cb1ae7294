import type { ReactNode } from "react";
import { OverviewPage } from "./pages/overview/OverviewPage";
import { CollectionsPage } from "./pages/collections/CollectionsPage";
import { CollectionDetailPage } from "./pages/collections/CollectionDetailPage";
import { ApiKeysPage } from "./pages/apiKeys/ApiKeysPage";
import { MembersPage } from "./pages/members/MembersPage";
import { AuditPage } from "./pages/audit/AuditPage";
import { BackupsPage } from "./pages/backups/BackupsPage";
import { BillingPage } from "./pages/billing/BillingPage";
import { TenantsPage } from "./pages/admin/TenantsPage";
import { TenantDetailPage } from "./pages/admin/TenantDetailPage";
import { PlansPage } from "./pages/admin/PlansPage";
import { PlatformPage } from "./pages/admin/PlatformPage";

/** One page of the portal: its path below its section, and its navigation link's name if it has one. */
export interface PageEntry {
  path: string;
  element: ReactNode;
  /** The link's name in the navigation (pages without one are reached from others). */
  label?: string;
}

/** A tenant's pages, under `/t/:tenantId/`. One import and one line per page. */
export const tenantPages: PageEntry[] = [
  { path: "overview", label: "Overview", element: <OverviewPage /> },
  { path: "collections", label: "Collections", element: <CollectionsPage /> },
  { path: "collections/:name", element: <CollectionDetailPage /> },
  { path: "api-keys", label: "API keys", element: <ApiKeysPage /> },
  { path: "members", label: "Members", element: <MembersPage /> },
  { path: "backups", label: "Backups", element: <BackupsPage /> },
  { path: "audit", label: "Audit log", element: <AuditPage /> },
  { path: "billing", label: "Billing", element: <BillingPage /> },
];

/** The operators' pages, under `/admin/`, for `platform_admin` users only. */
export const adminPages: PageEntry[] = [
  { path: "platform", label: "Platform", element: <PlatformPage /> },
  { path: "tenants", label: "Tenants", element: <TenantsPage /> },
  { path: "tenants/:tenantId", element: <TenantDetailPage /> },
  { path: "plans", label: "Plans", element: <PlansPage /> },
];

export const tenantNav = tenantPages.filter((p): p is PageEntry & { label: string } => p.label !== undefined);
export const adminNav = adminPages.filter((p): p is PageEntry & { label: string } => p.label !== undefined);
