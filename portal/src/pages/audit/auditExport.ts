import { matchesAudit, type AuditFilterValues, type AuditRange } from "./auditFilter";

/** The export: `GET /v1/tenants/{id}/audit` with `Accept: application/x-ndjson` streams every event of the range. */

export const NDJSON = "application/x-ndjson";

/** The export's query string (only the time range: the API streams every event in it). */
export function exportQuery(range: AuditRange): Record<string, string> {
  const query: Record<string, string> = {};
  if (range.from !== undefined) query.from = range.from;
  if (range.to !== undefined) query.to = range.to;
  return query;
}

/**
 * Keeps the NDJSON lines whose event matches the actor and action filters, byte for byte (a line is never
 * re-serialized, so the file holds what the server sent). A line that is not JSON is kept: the export must not
 * silently drop what it cannot read.
 */
export function filterNdjson(
  text: string,
  filter: Pick<AuditFilterValues, "actor" | "action">,
): { text: string; lines: number } {
  const kept: string[] = [];
  let events = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      kept.push(line);
      events++;
      continue;
    }
    // The export ends with the anchors that let `piramid-audit verify` check it: kept, but they are not events.
    if (typeof event === "object" && event !== null && "anchor" in event) {
      kept.push(line);
      continue;
    }
    const e = event as { actor?: unknown; action?: unknown };
    if (matchesAudit({ actor: String(e.actor ?? ""), action: String(e.action ?? "") }, filter)) {
      kept.push(line);
      events++;
    }
  }
  return { text: kept.length === 0 ? "" : kept.join("\n") + "\n", lines: events };
}

/** The file name: the tenant and the range, safe on every file system (no ':' from the ISO times). */
export function exportFileName(tenantId: string, range: AuditRange, now: Date): string {
  const stamp = (iso: string) => iso.replace(/\.\d{3}Z$/, "Z").replace(/:/g, "-");
  const from = range.from !== undefined ? stamp(range.from) : "start";
  const to = range.to !== undefined ? stamp(range.to) : stamp(now.toISOString());
  return `audit-${tenantId}-${from}-to-${to}.ndjson`;
}

// Some browsers read the Blob after click() returns; the URL is released a little later, not at once.
const REVOKE_AFTER_MS = 10_000;

/** Saves text as a file through a Blob URL (an anchor with `download`), released once the download has begun. */
export function saveTextFile(text: string, fileName: string, type: string, doc: Document = document): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = doc.createElement("a");
  link.href = url;
  link.download = fileName;
  link.rel = "noopener";
  doc.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}
