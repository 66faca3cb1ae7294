import { ApiError } from "../../api/problem";

/**
 * Which form field a control-plane problem is about. The control plane names the field in quotes in its 400
 * details ("'max_points' must be positive.", "The field '$.read_burst' ...", "'name' is required ..."), so the
 * portal can show the words next to that field instead of only above the form.
 */
export function problemField(detail: string | null | undefined, fields: readonly string[]): string | undefined {
  if (!detail) return undefined;
  for (const match of detail.matchAll(/'(?:\$\.)?([a-z_][a-z0-9_]*)(?:\[\d+\])?'/g)) {
    const name = match[1];
    if (name !== undefined && fields.includes(name)) return name;
  }
  return undefined;
}

/**
 * Splits a failed submission into a field's message (a 400 naming one of `fields`) or a message for the whole
 * form (anything else, in words).
 */
export function placeProblem(error: unknown, fields: readonly string[]): { field?: string; message: string } {
  if (error instanceof ApiError && error.status === 400) {
    const detail = error.problem?.detail ?? undefined;
    const field = problemField(detail, fields);
    if (field !== undefined && detail) return { field, message: detail };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}
