/** The create-key form: what the person typed, checked with the control plane's rules before it is sent. */

export const API_KEY_ROLES = ["admin", "read_write", "read_only"] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

export const API_KEY_ROLE_LABELS: Record<ApiKeyRole, string> = {
  admin: "admin (also create and delete collections)",
  read_write: "read_write (also write points)",
  read_only: "read_only (get, scroll, count, search)",
};

// The control plane's limits (docs/API.md, Limits): name 1-128 characters, at most 100 collections.
export const MAX_KEY_NAME = 128;
export const MAX_KEY_COLLECTIONS = 100;
// Rotation keeps the old secret at most 30 days (ApiKeysApi.MaxGraceSeconds).
export const MAX_GRACE_SECONDS = 30 * 24 * 3600;
const COLLECTION_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export interface ApiKeyFormValues {
  name: string;
  role: string;
  /** Chosen collections; empty means every collection. */
  collections: readonly string[];
  /** The value of a `datetime-local` input (local time, no zone), or empty for no expiry. */
  expiresAt: string;
}

export interface ApiKeyCreateBody {
  name: string;
  role: ApiKeyRole;
  collections: string[];
  expires_at?: string;
}

export type FormErrors<F extends string> = Partial<Record<F, string>>;

export type Checked<T, F extends string> = { ok: true; body: T } | { ok: false; errors: FormErrors<F> };

/** Splits a typed list ("movies, books") into distinct names, in the order typed. */
export function parseCollectionList(text: string): string[] {
  const names = text
    .split(/[,\s]+/)
    .map((n) => n.trim())
    .filter((n) => n.length > 0);
  return [...new Set(names)];
}

/** Checks the form and builds the body of `POST /v1/tenants/{id}/api-keys`. */
export function checkApiKeyForm(
  values: ApiKeyFormValues,
  now: Date,
): Checked<ApiKeyCreateBody, "name" | "role" | "collections" | "expires_at"> {
  const errors: FormErrors<"name" | "role" | "collections" | "expires_at"> = {};
  const name = values.name.trim();
  if (name.length === 0) errors.name = "Name is required.";
  else if (name.length > MAX_KEY_NAME) errors.name = `Name must be at most ${MAX_KEY_NAME} characters.`;

  if (!(API_KEY_ROLES as readonly string[]).includes(values.role))
    errors.role = "Choose a role: admin, read_write or read_only.";

  const collections = [...new Set(values.collections)];
  const bad = collections.find((c) => !COLLECTION_NAME.test(c));
  if (bad !== undefined) errors.collections = `'${bad}' is not a valid collection name.`;
  else if (collections.length > MAX_KEY_COLLECTIONS)
    errors.collections = `A key may be limited to at most ${MAX_KEY_COLLECTIONS} collections; leave it empty for all.`;

  let expiresAt: string | undefined;
  if (values.expiresAt.trim() !== "") {
    const when = new Date(values.expiresAt);
    if (Number.isNaN(when.getTime())) errors.expires_at = "Expires at must be a date and time.";
    else if (when.getTime() <= now.getTime()) errors.expires_at = "Expires at must be in the future.";
    else expiresAt = when.toISOString();
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const body: ApiKeyCreateBody = { name, role: values.role as ApiKeyRole, collections };
  if (expiresAt !== undefined) body.expires_at = expiresAt;
  return { ok: true, body };
}

/** Checks the rotation's grace period (whole seconds, 0 to 30 days). */
export function checkGracePeriod(text: string): { ok: true; seconds: number } | { ok: false; error: string } {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed))
    return { ok: false, error: "Grace period must be a whole number of seconds (0 or more)." };
  const seconds = Number(trimmed);
  if (seconds > MAX_GRACE_SECONDS)
    return { ok: false, error: `Grace period must be at most ${MAX_GRACE_SECONDS} seconds (30 days).` };
  return { ok: true, seconds };
}

/** The key's collection scope in words. */
export function describeScope(collections: readonly string[] | undefined): string {
  return collections === undefined || collections.length === 0 ? "All collections" : collections.join(", ");
}

/** The key prefix shown in the list: `pk_<id>_…` (the id is not secret; the secret part never comes back). */
export function keyPrefix(id: string): string {
  return `pk_${id}_…`;
}
