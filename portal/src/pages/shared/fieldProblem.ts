/**
 * Which form field a control-plane problem is about. The control plane names the field in quotes at the start of
 * its 400 details ("'max_points' must be positive.", "The field '$.read_burst' ...", "'name' is required ..."),
 * so the portal can show the words next to that field instead of only above the form.
 */
export function problemField(detail: string | null | undefined, fields: readonly string[]): string | undefined {
  if (!detail) return undefined;
  for (const match of detail.matchAll(/'(?:\$\.)?([a-z_][a-z0-9_]*)(?:\[\d+\])?'/g)) {
    const name = match[1];
    if (fields.includes(name)) return name;
  }
  return undefined;
}
