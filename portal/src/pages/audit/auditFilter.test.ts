import { describe, expect, it } from "vitest";
import { auditRange, EMPTY_AUDIT_FILTER, filtersClientSide, matchesAudit } from "./auditFilter";
import { exportFileName, exportQuery, filterNdjson } from "./auditExport";

const event = (actor: string, action: string) => ({ actor, action });

describe("auditRange", () => {
  it("is empty without times", () => {
    expect(auditRange(EMPTY_AUDIT_FILTER)).toEqual({ ok: true, range: {} });
  });

  it("turns the times into ISO instants", () => {
    expect(auditRange({ ...EMPTY_AUDIT_FILTER, from: "2026-12-01T00:00:00Z", to: "2026-12-02T12:30:00Z" })).toEqual({
      ok: true,
      range: { from: "2026-12-01T00:00:00.000Z", to: "2026-12-02T12:30:00.000Z" },
    });
  });

  it("refuses a range that ends before it starts, or is empty, naming To", () => {
    expect(auditRange({ ...EMPTY_AUDIT_FILTER, from: "2026-12-02T00:00:00Z", to: "2026-12-01T00:00:00Z" })).toEqual({
      ok: false,
      field: "to",
      error: "'To' must be after 'From'.",
    });
    expect(auditRange({ ...EMPTY_AUDIT_FILTER, from: "2026-12-02T00:00:00Z", to: "2026-12-02T00:00:00Z" }).ok).toBe(
      false,
    );
  });

  it("refuses a time that is not one", () => {
    expect(auditRange({ ...EMPTY_AUDIT_FILTER, from: "yesterday" })).toEqual({
      ok: false,
      field: "from",
      error: "'From' must be a date and time.",
    });
  });
});

describe("matchesAudit", () => {
  const events = [
    event("key:0123456789abcdef", "api_key.create"),
    event("3f2c6a4e-0000-4000-8000-000000000001", "member.role_change"),
    event("gateway", "auth.failed"),
    event("portal-operator", "tenant.suspend"),
  ];
  const pick = (actor: string, action: string) =>
    events.filter((e) => matchesAudit(e, { actor, action })).map((e) => e.action);

  it("matches everything when empty", () => {
    expect(pick("", "  ")).toHaveLength(4);
  });

  it("matches actor and action as case-insensitive substrings, both at once", () => {
    expect(pick("KEY:", "")).toEqual(["api_key.create"]);
    expect(pick("", "member.")).toEqual(["member.role_change"]);
    expect(pick("gateway", "auth")).toEqual(["auth.failed"]);
    expect(pick("gateway", "tenant")).toEqual([]);
  });

  it("says when it filters in the browser", () => {
    expect(filtersClientSide({ actor: "", action: "" })).toBe(false);
    expect(filtersClientSide({ actor: "x", action: "" })).toBe(true);
  });
});

describe("NDJSON export", () => {
  const lines = [
    '{"id":1,"time":"2026-12-01T10:00:00Z","actor":"gateway","action":"auth.failed","target_type":"tenant","target_id":"t1"}',
    '{"id":2,"time":"2026-12-01T11:00:00Z","actor":"key:0123456789abcdef","action":"api_key.rotate","target_type":"api_key","target_id":"k"}',
    '{"id":3, "time":"2026-12-01T12:00:00Z", "actor":"gateway","action":"auth.failed","target_type":"tenant","target_id":"t1"}',
  ];
  const text = lines.join("\n") + "\n";

  it("keeps every line unchanged without an actor or action filter", () => {
    expect(filterNdjson(text, { actor: "", action: "" })).toEqual({ text, lines: 3 });
  });

  it("keeps the matching lines byte for byte, one per line with a final newline", () => {
    expect(filterNdjson(text, { actor: "gateway", action: "" })).toEqual({
      text: `${lines[0]}\n${lines[2]}\n`,
      lines: 2,
    });
  });

  it("is empty when nothing matches, and keeps a line it cannot parse", () => {
    expect(filterNdjson(text, { actor: "nobody", action: "" })).toEqual({ text: "", lines: 0 });
    expect(filterNdjson("not json\n", { actor: "nobody", action: "" })).toEqual({ text: "not json\n", lines: 1 });
  });

  it("keeps the anchors that end an export, whatever the filter, and does not count them as events", () => {
    const anchor = '{"anchor":{"tenant_id":"t1","engine_seq":7,"engine_hash":"ab","signed_at":"2026-12-01T12:00:01Z","signature":"x.y.z"}}';
    expect(filterNdjson(`${text}${anchor}\n`, { actor: "gateway", action: "" })).toEqual({
      text: `${lines[0]}\n${lines[2]}\n${anchor}\n`,
      lines: 2,
    });
  });

  it("handles a body without a final newline and with CRLF-free blank lines", () => {
    expect(filterNdjson(`${lines[1]}\n\n${lines[0]}`, { actor: "", action: "rotate" })).toEqual({
      text: `${lines[1]}\n`,
      lines: 1,
    });
  });

  it("asks the API only for the range", () => {
    expect(exportQuery({})).toEqual({});
    expect(exportQuery({ from: "2026-12-01T00:00:00.000Z" })).toEqual({ from: "2026-12-01T00:00:00.000Z" });
  });

  it("names the file after the tenant and the range, without colons", () => {
    const now = new Date("2026-12-06T09:15:00Z");
    expect(exportFileName("acme", { from: "2026-12-01T00:00:00.000Z" }, now)).toBe(
      "audit-acme-2026-12-01T00-00-00Z-to-2026-12-06T09-15-00Z.ndjson",
    );
    expect(exportFileName("acme", {}, now)).toBe("audit-acme-start-to-2026-12-06T09-15-00Z.ndjson");
  });
});
