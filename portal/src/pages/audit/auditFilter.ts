/**
 * The audit log's filter. `GET /v1/tenants/{id}/audit` filters by time only (`from`, `to`); actor and action are
 * matched here, over the pages already fetched (and over the export's lines), so the table says so.
 */

export interface AuditFilterValues {
  actor: string;
  action: string;
  /** `datetime-local` values (local time), or empty. */
  from: string;
  to: string;
}

export interface AuditEventLike {
  actor: string;
  action: string;
}

export interface AuditRange {
  from?: string;
  to?: string;
}

export const EMPTY_AUDIT_FILTER: AuditFilterValues = { actor: "", action: "", from: "", to: "" };

/** The server-side part of the filter: the time range as ISO instants; an error names the bad field. */
export function auditRange(
  filter: AuditFilterValues,
): { ok: true; range: AuditRange } | { ok: false; field: "from" | "to"; error: string } {
  const range: AuditRange = {};
  for (const field of ["from", "to"] as const) {
    const text = filter[field].trim();
    if (text === "") continue;
    const when = new Date(text);
    if (Number.isNaN(when.getTime()))
      return { ok: false, field, error: `'${field === "from" ? "From" : "To"}' must be a date and time.` };
    range[field] = when.toISOString();
  }
  if (range.from !== undefined && range.to !== undefined && range.from >= range.to)
    return { ok: false, field: "to", error: "'To' must be after 'From'." };
  return { ok: true, range };
}

/**
 * The client-side part: actor and action, each a case-insensitive substring, so "key:" finds every key and
 * "member." every membership change.
 */
export function matchesAudit(event: AuditEventLike, filter: Pick<AuditFilterValues, "actor" | "action">): boolean {
  const actor = filter.actor.trim().toLowerCase();
  const action = filter.action.trim().toLowerCase();
  return (
    (actor === "" || event.actor.toLowerCase().includes(actor)) &&
    (action === "" || event.action.toLowerCase().includes(action))
  );
}

/** True when part of the filter runs in the browser (the table then says it filters the fetched pages). */
export function filtersClientSide(filter: Pick<AuditFilterValues, "actor" | "action">): boolean {
  return filter.actor.trim() !== "" || filter.action.trim() !== "";
}
