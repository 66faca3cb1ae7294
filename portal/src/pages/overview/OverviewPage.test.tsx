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

/** A metrics summary of `steps` points of 60 s, ending at `now`, with requests and 4xx errors in the last two. */
function metrics(window: string, steps = 60) {
  const points = Array.from({ length: steps }, (_, i) => {
    const busy = i >= steps - 2;
    return {
      time: new Date(now.getTime() - (steps - i) * 60_000).toISOString(),
      requests: busy ? 120 : 0,
      request_rate: busy ? 2 : 0,
      client_errors: busy ? 9 : 0,
      server_errors: 0,
      latency_p50_ms: busy ? 3.5 : null,
      latency_p99_ms: busy ? 18 : null,
      storage_bytes: busy ? 5 * 1024 * 1024 : null,
    };
  });
  const totals = { time: points[0]!.time, requests: 240, request_rate: 240 / (steps * 60), client_errors: 18, server_errors: 0, latency_p50_ms: 3.5, latency_p99_ms: 18, storage_bytes: 5 * 1024 * 1024 };
  return { tenant_id: "acme", window, step_seconds: 60, from: points[0]!.time, to: now.toISOString(), points, totals };
}
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
    .on("GET /v1/tenants/acme/metrics", (r) => [200, metrics(new URLSearchParams(r.path.split("?")[1]).get("window") ?? "1h")])
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

  it("says a hibernating engine holds no memory and wakes on the next data request", async () => {
    server.on("GET /v1/tenants/acme", [200, { id: "acme", name: "Acme", plan: "free", status: "active", engine_state: "hibernating", limits: { max_collections: 5, max_points: 10000 } }]);
    renderPage(routes, "/t/acme/overview", server.origin);
    expect(await screen.findByText("hibernating")).toBeInTheDocument();
    expect(screen.getByText(/holds no memory\. The next data request wakes it/)).toHaveAttribute("role", "status");
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
    // The metrics charts on the same page have their own "Show as a table"; open the usage chart's.
    const figure = chart.closest("figure") as HTMLElement;
    await user.click(within(figure).getByText("Show as a table"));
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

  it("charts requests, errors, latency and storage from the metrics summary, and reads another window on demand", async () => {
    renderPage(routes, "/t/acme/overview", server.origin);
    expect(screen.getByText(/Loading metrics/)).toBeInTheDocument();
    const requests = await screen.findByRole("img", { name: /^Requests per second\. Requests\/s: latest 2\/s, highest 2\/s/ });
    expect(requests.querySelector('[data-series="Requests/s"]')).toHaveAttribute("data-nonzero-points", "2");
    expect(screen.getByRole("img", { name: /^Errors per step\. 4xx: latest 9, highest 9; 5xx: latest 0, highest 0/ })).toBeInTheDocument();
    expect(screen.getByRole("img", { name: /^Latency at the gateway\. p50: latest 3\.5 ms, highest 3\.5 ms; p99: latest 18 ms/ })).toBeInTheDocument();
    expect(screen.getByRole("img", { name: /^Storage\. Bytes on disk: latest 5 MiB/ })).toBeInTheDocument();
    expect(server.received.map((r) => r.path)).toContain("/v1/tenants/acme/metrics?window=1h");

    await userEvent.setup().selectOptions(screen.getByLabelText("Window"), "Last 7 days");
    await screen.findByRole("img", { name: /^Requests per second/ });
    expect(server.received.map((r) => r.path)).toContain("/v1/tenants/acme/metrics?window=7d");
  });

  it("says so when the window holds no requests, instead of drawing flat lines", async () => {
    server.on("GET /v1/tenants/acme/metrics", [200, { ...metrics("1h"), points: metrics("1h").points.map((p) => ({ ...p, requests: 0, request_rate: 0, client_errors: 0, latency_p50_ms: null, latency_p99_ms: null, storage_bytes: null })), totals: { requests: 0 } }]);
    renderPage(routes, "/t/acme/overview", server.origin);
    expect(await screen.findByText("No data requests in this window yet.")).toBeInTheDocument();
    expect(screen.getByText("No requests in this window.")).toBeInTheDocument();
    expect(screen.queryByRole("img", { name: /^Requests per second/ })).toBeNull();
  });

  it("shows a refused metrics read in words and keeps the rest of the page", async () => {
    server.on("GET /v1/tenants/acme/metrics", [
      403,
      { type: "https://piramid.dev/problems/forbidden", title: "Forbidden", status: 403, detail: "The role 'viewer' may not read metrics; it needs 'admin'." },
    ]);
    renderPage(routes, "/t/acme/overview", server.origin);
    expect(await screen.findByText(/may not read metrics/)).toBeInTheDocument();
    expect(screen.getByText("running")).toBeInTheDocument();
  });
});
