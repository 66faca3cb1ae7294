/** The plan editor: every quota and rate limit of `PUT /v1/plans/{id}`, which replaces the plan with the full body. */

export interface PlanField {
  key: PlanNumberKey;
  label: string;
  /** Smallest accepted value (the control plane: required ones positive, optional ones in their range). */
  min: number;
  max?: number;
  /** Optional fields may be left empty: the plan keeps its value (a new plan gets the default). */
  optional?: boolean;
}

export type PlanNumberKey =
  | "max_collections"
  | "max_points"
  | "max_storage_bytes"
  | "max_dimension"
  | "read_rate_per_second"
  | "read_burst"
  | "write_rate_per_second"
  | "write_burst"
  | "monthly_read_units"
  | "monthly_write_units"
  | "max_requests_in_flight"
  | "engine_memory_bytes"
  | "audit_retention_days";

// Ranges from docs/API.md (Admin API, Limits) and PlansApi: dimension ≤ 20,000, in-flight 1-10,000,
// engine memory ≥ 32 MiB, audit retention 1-36,500 days.
export const PLAN_FIELDS: readonly PlanField[] = [
  { key: "max_collections", label: "Max collections", min: 1 },
  { key: "max_points", label: "Max points", min: 1 },
  { key: "max_storage_bytes", label: "Max storage (bytes)", min: 1 },
  { key: "max_dimension", label: "Max dimension", min: 1, max: 20_000 },
  { key: "read_rate_per_second", label: "Reads per second", min: 1 },
  { key: "read_burst", label: "Read burst", min: 1 },
  { key: "write_rate_per_second", label: "Writes per second", min: 1 },
  { key: "write_burst", label: "Write burst", min: 1 },
  { key: "monthly_read_units", label: "Monthly read units", min: 1 },
  { key: "monthly_write_units", label: "Monthly write units", min: 1 },
  { key: "max_requests_in_flight", label: "Requests in flight", min: 1, max: 10_000, optional: true },
  { key: "engine_memory_bytes", label: "Engine memory (bytes)", min: 32 * 1024 * 1024, optional: true },
  { key: "audit_retention_days", label: "Audit retention (days)", min: 1, max: 36_500, optional: true },
];

export const PLAN_FIELD_KEYS: readonly string[] = ["name", ...PLAN_FIELDS.map((f) => f.key)];

export type PlanLike = { id?: string | null; name?: string | null } & Partial<Record<PlanNumberKey, number | null>>;

export type PlanFormValues = { name: string } & Record<PlanNumberKey, string>;

export type PlanBody = { name: string } & Partial<Record<PlanNumberKey, number>>;

/** The form's text values for a plan as the API returned it. */
export function planToForm(plan: PlanLike): PlanFormValues {
  const values = { name: plan.name ?? plan.id ?? "" } as PlanFormValues;
  for (const f of PLAN_FIELDS) {
    const v = plan[f.key];
    values[f.key] = v === null || v === undefined ? "" : String(v);
  }
  return values;
}

/** Checks every field and builds the full body of `PUT /v1/plans/{id}`; errors are keyed by the API's field names. */
export function checkPlanForm(
  values: PlanFormValues,
): { ok: true; body: PlanBody } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const name = values.name.trim();
  if (name.length === 0) errors.name = "Name is required.";
  else if (name.length > 128) errors.name = "Name must be at most 128 characters.";
  const body: PlanBody = { name };
  for (const f of PLAN_FIELDS) {
    const text = values[f.key].trim();
    if (text === "") {
      if (!f.optional) errors[f.key] = `${f.label} is required.`;
      continue;
    }
    if (!/^\d+$/.test(text)) {
      errors[f.key] = `${f.label} must be a whole number.`;
      continue;
    }
    const n = Number(text);
    if (!Number.isSafeInteger(n)) errors[f.key] = `${f.label} is too large.`;
    else if (n < f.min || (f.max !== undefined && n > f.max))
      errors[f.key] =
        f.max !== undefined
          ? `${f.label} must be between ${f.min} and ${f.max}.`
          : `${f.label} must be at least ${f.min}.`;
    else body[f.key] = n;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, body };
}
