import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { AuditPage } from "./AuditPage";
import { HttpStub, problem, renderWithStub } from "../../test/pageHarness";
import { auditEvent, me, TENANT_ID } from "../../test/managementFixtures";

const page = { path: "/t/:tenantId/audit", url: `/t/${TENANT_ID}/audit` };
const now = () => new Date("2026-12-06T09:15:00Z");

const first = [
  auditEvent(1, "key:0123456789abcdef", "api_key.create", "2026-12-01T10:00:00Z"),
  auditEvent(2, "gateway", "auth.failed", "2026-12-01T11:00:00Z"),
];
const second = [auditEvent(3, "3f2c6a4e-0000-4000-8000-000000000001", "member.role_change", "2026-12-02T10:00:00Z")];

/** Two pages: the first answers next_cursor "c2", the second null (the end of the range). */
function stub() {
  return new HttpStub()
    .on("GET", "/v1/me", { json: me("owner") })
    .on("GET", "/v1/tenants/{id}/audit", (call) => {
      if (call.headers.get("Accept") === "application/x-ndjson") {
        return {
          contentType: "application/x-ndjson",
          text: [...first, ...second].map((e) => JSON.stringify(e)).join("\n") + "\n",
        };
      }
      return call.query.get("cursor") === "c2"
        ? { json: { events: second, next_cursor: null } }
        : { json: { events: first, next_cursor: "c2" } };
    })
    .install();
}

const actions = () =>
  within(screen.getByRole("table"))
    .getAllByRole("row")
    .slice(1)
    .map((r) => within(r).getAllByRole("cell")[2]!.textContent);

afterEach(() => vi.unstubAllGlobals());

describe("AuditPage", () => {
  it("pages with next_cursor until the range ends", async () => {
    const http = stub();
    const user = userEvent.setup();
    await renderWithStub(<AuditPage now={now} />, page);
    await screen.findByRole("table");
    expect(actions()).toEqual(["api_key.create", "auth.failed"]);
    await user.click(screen.getByRole("button", { name: "Load more" }));
    await screen.findByText("member.role_change");
    expect(actions()).toEqual(["api_key.create", "auth.failed", "member.role_change"]);
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
    const cursors = http.callsTo("GET", "/v1/tenants/{id}/audit").map((c) => c.query.get("cursor"));
    expect(cursors).toEqual([null, "c2"]);
  });

  it("sends the time range to the API and matches actor and action in the browser, saying so", async () => {
    const http = stub();
    const user = userEvent.setup();
    await renderWithStub(<AuditPage now={now} />, page);
    await screen.findByRole("table");
    await user.type(screen.getByLabelText("Actor"), "GATEWAY");
    await user.type(screen.getByLabelText("From"), "2026-12-01T00:00");
    await user.click(screen.getByRole("button", { name: "Apply filter" }));
    await screen.findByText(/matched in your browser over the 2 events loaded so far/);
    expect(actions()).toEqual(["auth.failed"]);
    const last = http.callsTo("GET", "/v1/tenants/{id}/audit").at(-1)!;
    expect(last.query.get("from")).toBe(new Date("2026-12-01T00:00").toISOString());
    expect(last.query.has("actor")).toBe(false);
  });

  it("refuses a range that ends before it starts, at the To field, without asking the API", async () => {
    const http = stub();
    const user = userEvent.setup();
    await renderWithStub(<AuditPage now={now} />, page);
    await screen.findByRole("table");
    await user.type(screen.getByLabelText("From"), "2026-12-02T00:00");
    await user.type(screen.getByLabelText("To"), "2026-12-01T00:00");
    await user.click(screen.getByRole("button", { name: "Apply filter" }));
    expect(screen.getByLabelText("To")).toHaveAccessibleDescription("'To' must be after 'From'.");
    expect(http.callsTo("GET", "/v1/tenants/{id}/audit")).toHaveLength(1);
  });

  it("says when the range holds no event, and shows a refusal in words", async () => {
    new HttpStub()
      .on("GET", "/v1/me", { json: me("admin") })
      .on("GET", "/v1/tenants/{id}/audit", { json: { events: [], next_cursor: null } })
      .install();
    await renderWithStub(<AuditPage now={now} />, page);
    expect(await screen.findByText("No audit events in this range.")).toBeInTheDocument();

    vi.unstubAllGlobals();
    new HttpStub()
      .on("GET", "/v1/me", { json: me(null, true) })
      .on("GET", "/v1/tenants/{id}/audit", {
        status: 400,
        json: problem(400, "invalid-request", "Invalid request", "A cursor the API did not return."),
      })
      .install();
    await renderWithStub(<AuditPage now={now} />, page);
    expect(await screen.findByRole("alert")).toHaveTextContent("Invalid request: A cursor the API did not return.");
  });

  it("exports the range as NDJSON with the actor and action filters applied, to a named file", async () => {
    const http = stub();
    const saved: { text: string; fileName: string; type: string }[] = [];
    const user = userEvent.setup();
    await renderWithStub(
      <AuditPage now={now} save={(text, fileName, type) => saved.push({ text, fileName, type })} />,
      page,
    );
    await screen.findByRole("table");
    await user.type(screen.getByLabelText("Action"), "member.");
    await user.click(screen.getByRole("button", { name: "Apply filter" }));
    await user.click(screen.getByRole("button", { name: "Export" }));
    await screen.findByText(/Exported 1 event to/);

    const exportCall = http.calls.find((c) => c.headers.get("Accept") === "application/x-ndjson")!;
    expect(exportCall.query.has("cursor")).toBe(false);
    expect(exportCall.query.has("limit")).toBe(false);
    expect(saved).toEqual([
      {
        text: JSON.stringify(second[0]) + "\n",
        fileName: "audit-acme-start-to-2026-12-06T09-15-00Z.ndjson",
        type: "application/x-ndjson",
      },
    ]);
  });

  it("shows a failed export in words and saves nothing", async () => {
    stub().on("GET", "/v1/tenants/{id}/audit", (call) =>
      call.headers.get("Accept") === "application/x-ndjson"
        ? {
            status: 403,
            json: problem(403, "forbidden", "Forbidden", "The role 'read_only' may not read the audit log."),
          }
        : { json: { events: first, next_cursor: null } },
    );
    const saved: string[] = [];
    const user = userEvent.setup();
    await renderWithStub(<AuditPage now={now} save={(text) => saved.push(text)} />, page);
    await screen.findByRole("table");
    await user.click(screen.getByRole("button", { name: "Export" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Export failed: Forbidden: The role 'read_only' may not read the audit log.",
    );
    expect(saved).toEqual([]);
  });

  it("shows a control and a data event that share an id as two rows, without a duplicate React key", async () => {
    const control = { ...auditEvent(7, "gateway", "api_key.create", "2026-12-01T10:00:00Z"), source: "control" };
    const data = { ...auditEvent(7, "key:0123456789abcdef", "points.upsert", "2026-12-01T10:01:00Z"), source: "data" };
    new HttpStub()
      .on("GET", "/v1/me", { json: me("owner") })
      .on("GET", "/v1/tenants/{id}/audit", { json: { events: [control, data], next_cursor: null } })
      .install();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      await renderWithStub(<AuditPage now={now} />, page);
      await screen.findByRole("table");
      expect(actions()).toEqual(["api_key.create", "points.upsert"]);
      const keyWarnings = errors.mock.calls.filter((args) => args.some((a) => String(a).includes("same key")));
      expect(keyWarnings).toEqual([]);
    } finally {
      errors.mockRestore();
    }
  });

  it("shows the continuous export's state and the events lost to a gap, or that there is no sink", async () => {
    stub();
    await renderWithStub(<AuditPage now={now} />, page);
    expect(await screen.findByText("No continuous export is configured.")).toBeInTheDocument();
  });

  it("names a gap: how many events retention deleted before the sink got them, and when", async () => {
    const http = stub();
    http.on("GET", "/v1/tenants/{id}/audit/sink", {
      json: {
        tenant_id: TENANT_ID,
        kind: "s3",
        endpoint: "https://s3.example.com/",
        bucket: "audit",
        prefix: "piramid/",
        state: "failing",
        delivered_control_seq: 10,
        delivered_data_seq: 4,
        backlog: 12,
        last_error: "s3 audit/x: 503 SlowDown",
        gap_events: 3,
        last_gap_at: "2026-12-05T08:00:00Z",
        created_at: "2026-11-01T00:00:00Z",
        updated_at: "2026-11-01T00:00:00Z",
      },
    });
    await renderWithStub(<AuditPage now={now} />, page);
    const section = await screen.findByRole("region", { name: "Continuous export" });
    const gap = await within(section).findByRole("status");
    expect(gap.textContent).toMatch(/^3 events were deleted before the sink received them \(last .+\)$/);
    expect(within(section).getByText("12 entries")).toBeInTheDocument();
    expect(within(section).getByText(/503 SlowDown/)).toBeInTheDocument();
  });
});
