import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OverviewPage } from "./OverviewPage";
import { LoopbackApi } from "../../test/loopbackApi";
import { renderPage } from "../../test/renderPage";

// jsdom has no layout: the chart's container needs a ResizeObserver to exist (it then sizes to 0).
beforeAll(() => {
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
});

const now = new Date("2026-03-10T12:00:00Z");
let server: LoopbackApi;
beforeEach(async () => {
  server = await new LoopbackApi()
    .on("GET /v1/me", [200, { id: "u1", email: "a@example.com", platform_admin: false, memberships: [{ tenant_id: "acme", tenant_name: "Acme", role: "owner" }] }])
    .on("GET /v1/tenants/acme", [200, { id: "acme", name: "Acme", plan: "free", status: "active", engine_state: "running", limits: { max_collections: 5, max_points: 10000 } }])
    .on("GET /v1/tenants/acme/collections", [200, { collections: [{ name: "a", count: 1200, metric: "cosine", index: {}, quantization: "none", status: "ready" }, { name: "b", count: 34, metric: "cosine", index: {}, quantization: "none", status: "ready" }] }])
    .on("GET /v1/tenants/acme/usage", (r) =>
      r.path.includes("from=2026-03-01")
        ? [200, { tenant_id: "acme", read_units: 2500, write_units: 40, monthly_read_units_quota: 10000, monthly_write_units_quota: 1000, days: [] }]
        : [200, { tenant_id: "acme", read_units: 9, write_units: 3, days: [{ day: "2026-03-09", read_units: 7, write_units: 2 }, { day: "2026-03-10", read_units: 2, write_units: 1 }] }],
    )
    .start();
});
afterEach(() => server.stop());

const routes = [{ path: "/t/:tenantId/overview", element: <OverviewPage now={now} /> }];

describe("Overview", () => {
  it("shows plan, engine, this month's units against the quotas, collections and points", async () => {
    renderPage(routes, "/t/acme/overview", server.origin);
    expect(await screen.findByText("running")).toBeInTheDocument();
    expect(screen.getByText("free")).toBeInTheDocument();
    expect(await screen.findByText("2,500 of 10,000 (25 %)")).toBeInTheDocument();
    expect(screen.getByText("40 of 1,000 (4 %)")).toBeInTheDocument();
    expect(screen.getByRole("meter", { name: "Read units" })).toHaveAttribute("value", "2500");
    expect(await screen.findByText("2 of 5 (40 %)")).toBeInTheDocument();
    expect(screen.getByText("1,234 of 10,000 (12 %)")).toBeInTheDocument();
    const usage = server.received.filter((r) => r.path.startsWith("/v1/tenants/acme/usage")).map((r) => r.path);
    expect(usage).toContain("/v1/tenants/acme/usage?from=2026-03-01&to=2026-03-10");
    expect(usage).toContain("/v1/tenants/acme/usage?from=2026-02-09&to=2026-03-10");
  });

  it("shows a viewer the collections and points against the plan's limits from the tenant, not from the operators' plans", async () => {
    server.on("GET /v1/me", [200, { id: "u2", email: "v@example.com", platform_admin: false, memberships: [{ tenant_id: "acme", tenant_name: "Acme", role: "viewer" }] }]);
    renderPage(routes, "/t/acme/overview", server.origin);
    expect(await screen.findByText("2 of 5 (40 %)")).toBeInTheDocument();
    expect(screen.getByRole("meter", { name: "Points" })).toHaveAttribute("max", "10000");
    expect(server.received.some((r) => r.path.startsWith("/v1/plans"))).toBe(false);
  });

  it("has the units per day as a table behind the chart, every day of the range", async () => {
    renderPage(routes, "/t/acme/overview", server.origin);
    // The chart module loads lazily (the first import of the chart library is slow on a busy machine).
    const chart = await screen.findByRole("img", { name: /Read and write units per day, 2026-02-09 to 2026-03-10/ }, { timeout: 20_000 });
    expect(chart).toBeInTheDocument();
    const user = userEvent.setup();
    await user.click(screen.getByText("Show as a table"));
    const table = screen.getByRole("table", { name: /Read and write units per day/ });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(1 + 30);
    expect(rows.at(-2)).toHaveTextContent("2026-03-0972");
    expect(rows.at(-1)).toHaveTextContent("2026-03-1021");
    expect(rows[1]).toHaveTextContent("2026-02-0900");
  });

  it("says in words when the person may not read usage", async () => {
    server.on("GET /v1/tenants/acme/usage", [
      403,
      { type: "https://piramid.dev/problems/forbidden", title: "Forbidden", status: 403, detail: "The role 'viewer' may not read usage; it needs 'admin'." },
    ]);
    renderPage(routes, "/t/acme/overview", server.origin);
    const alerts = await screen.findAllByRole("alert");
    expect(alerts[0]).toHaveTextContent("Forbidden: The role 'viewer' may not read usage; it needs 'admin'.");
    expect(screen.getByText("running")).toBeInTheDocument();
  });

  it("shows an operator who is not a member the plan and usage, and asks nothing of the member routes", async () => {
    server.on("GET /v1/me", [200, { id: "op", email: "op@example.com", platform_admin: true, memberships: [] }]).on("GET /v1/plans", [200, { plans: [] }]);
    renderPage(routes, "/t/acme/overview", server.origin);
    expect(await screen.findByText("2,500 of 10,000 (25 %)")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).toBeNull();
    expect(server.received.some((r) => r.path.startsWith("/v1/tenants/acme/collections"))).toBe(false);
  });
});
