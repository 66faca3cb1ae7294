/** The operator's tenant table: search, the month whose usage it shows, and the create form's rules. */

export interface TenantLike {
  id: string;
  name: string;
}

/** A tenant matches when its name or id contains the query (case-insensitive); an empty query matches all. */
export function matchesTenant(tenant: TenantLike, query: string): boolean {
  const q = query.trim().toLowerCase();
  return q === "" || tenant.name.toLowerCase().includes(q) || tenant.id.toLowerCase().includes(q);
}

/** Usage "this month": the first UTC day of the month to today (the usage API's `from`/`to` are UTC days). */
export function thisMonthUtc(now: Date): { from: string; to: string } {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return { from: day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))), to: day(now) };
}

// TenantService's rule for names (NameRules): 1-63 lower-case letters, digits, '_' or '-', first a letter or digit.
const TENANT_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Checks the create-tenant form; the body of `POST /v1/tenants`. */
export function checkTenantForm(values: {
  name: string;
  plan: string;
}):
  | { ok: true; body: { name: string; plan?: string } }
  | { ok: false; errors: Partial<Record<"name" | "plan", string>> } {
  const name = values.name.trim();
  if (!TENANT_NAME.test(name))
    return {
      ok: false,
      errors: {
        name: "Name must be 1-63 lower-case letters, digits, '_' or '-', starting with a letter or digit.",
      },
    };
  return { ok: true, body: values.plan ? { name, plan: values.plan } : { name } };
}

/** Compact unit counts for the table (12,345 → "12,345"; the quota next to it as "of 1,000,000"). */
export function formatUnits(used: number | null | undefined, quota: number | null | undefined): string {
  if (used === null || used === undefined) return "—";
  const n = used.toLocaleString("en-US");
  return quota ? `${n} of ${quota.toLocaleString("en-US")}` : n;
}
