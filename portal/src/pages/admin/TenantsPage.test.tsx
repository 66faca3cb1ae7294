import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { TenantsPage } from "./TenantsPage";
import { HttpStub, problem, renderWithStub } from "../../test/pageHarness";
import { freePlan, proPlan, tenant, usage } from "../../test/managementFixtures";
import { formatTime } from "../shared/formatTime";

const page = { path: "/admin/tenants", url: "/admin/tenants" };
const now = () => new Date("2026-12-06T09:00:00Z");
const tenants = [tenant("t-acme", "acme", "active", "pro"), tenant("t-globex", "globex", "suspended")];

function stub() {
  return new HttpStub()
    .on("GET", "/v1/tenants", { json: { tenants } })
    .on("GET", "/v1/plans", { json: { plans: [freePlan, proPlan] } })
    .on("GET", "/v1/tenants/{id}/usage", (_c, p) => ({ json: usage(p.id!, p.id === "t-acme" ? 12345 : 0, 67) }))
    .install();
}

afterEach(() => vi.unstubAllGlobals());

describe("TenantsPage", () => {
  it("lists every tenant with plan, status, engine and this month's units (one usage call per tenant shown)", async () => {
    const http = stub();
    await renderWithStub(<TenantsPage now={now} />, page);
    const table = await screen.findByRole("table", { name: "Tenants" });
    const acme = within(table).getByRole("row", { name: /acme/ });
    await waitFor(() => expect(acme).toHaveTextContent("12,345 of 1,000,000"));
    expect(acme).toHaveTextContent("pro");
    expect(acme).toHaveTextContent("running");
    expect(within(table).getByRole("row", { name: /globex/ })).toHaveTextContent("suspended");
    expect(within(acme).getByRole("link", { name: "acme" })).toHaveAttribute("href", "/admin/tenants/t-acme");
    const calls = http.callsTo("GET", "/v1/tenants/{id}/usage");
    expect(calls.map((c) => [c.path, c.query.get("from"), c.query.get("to")]).sort()).toEqual([
      ["/v1/tenants/t-acme/usage", "2026-12-01", "2026-12-06"],
      ["/v1/tenants/t-globex/usage", "2026-12-01", "2026-12-06"],
    ]);
  });

  it("shows each tenant's payment status, with a past-due tenant's grace end", async () => {
    const billed = [
      { ...tenant("t-acme", "acme"), payment_status: "past_due", writes_refused_from: "2026-12-08T09:00:00Z" },
      { ...tenant("t-globex", "globex"), payment_status: "active" },
      { ...tenant("t-initech", "initech"), payment_status: null },
    ];
    new HttpStub()
      .on("GET", "/v1/tenants", { json: { tenants: billed } })
      .on("GET", "/v1/plans", { json: { plans: [freePlan] } })
      .on("GET", "/v1/tenants/{id}/usage", (_c, p) => ({ json: usage(p.id!, 1, 1) }))
      .install();
    await renderWithStub(<TenantsPage now={now} />, page);
    const table = await screen.findByRole("table", { name: "Tenants" });
    expect(within(table).getByRole("columnheader", { name: "Payment" })).toBeInTheDocument();
    expect(within(table).getByRole("row", { name: /acme/ })).toHaveTextContent(`past due · writes stop ${formatTime("2026-12-08T09:00:00Z")}`);
    expect(within(table).getByRole("row", { name: /globex/ })).toHaveTextContent("active");
    expect(within(table).getByRole("row", { name: /initech/ })).toHaveTextContent("none");
  });

  it("searches by name or id, and says when nothing matches", async () => {
    stub();
    const user = userEvent.setup();
    await renderWithStub(<TenantsPage now={now} />, page);
    const table = await screen.findByRole("table", { name: "Tenants" });
    await user.type(screen.getByLabelText("Search (name or id)"), "T-GLOB");
    expect(within(table).getAllByRole("row")).toHaveLength(2);
    expect(within(table).getByRole("row", { name: /globex/ })).toBeInTheDocument();
    await user.clear(screen.getByLabelText("Search (name or id)"));
    await user.type(screen.getByLabelText("Search (name or id)"), "initech");
    expect(await screen.findByText('No tenant\'s name or id contains "initech".')).toBeInTheDocument();
  });

  it("asks usage only for the first 50 tenants it shows", async () => {
    const many = Array.from({ length: 60 }, (_, i) => tenant(`t-${String(i).padStart(2, "0")}`, `tenant-${i}`));
    const http = new HttpStub()
      .on("GET", "/v1/tenants", { json: { tenants: many } })
      .on("GET", "/v1/plans", { json: { plans: [freePlan] } })
      .on("GET", "/v1/tenants/{id}/usage", (_c, p) => ({ json: usage(p.id!, 1, 1) }))
      .install();
    await renderWithStub(<TenantsPage now={now} />, page);
    expect(await screen.findByText("Showing the first 50 of 60; search to narrow.")).toBeInTheDocument();
    await waitFor(() => expect(http.callsTo("GET", "/v1/tenants/{id}/usage")).toHaveLength(50));
  });

  it("creates a tenant on the chosen plan, checking the name first", async () => {
    const http = stub().on("POST", "/v1/tenants", (call) => ({
      status: 201,
      json: tenant("t-new", (call.body as { name: string }).name, "active", (call.body as { plan: string }).plan),
    }));
    const user = userEvent.setup();
    await renderWithStub(<TenantsPage now={now} />, page);
    await screen.findByRole("table", { name: "Tenants" });
    await user.type(screen.getByLabelText("Name"), "Initech");
    await user.click(screen.getByRole("button", { name: "Create tenant" }));
    expect(screen.getByLabelText("Name")).toHaveAccessibleDescription(
      "Name must be 1-63 lower-case letters, digits, '_' or '-', starting with a letter or digit.",
    );
    expect(http.callsTo("POST", "/v1/tenants")).toEqual([]);

    await user.clear(screen.getByLabelText("Name"));
    await user.type(screen.getByLabelText("Name"), "initech");
    await user.selectOptions(screen.getByLabelText("Plan"), "pro");
    await user.click(screen.getByRole("button", { name: "Create tenant" }));
    expect(await screen.findByRole("link", { name: "initech" })).toHaveAttribute("href", "/admin/tenants/t-new");
    expect(http.callsTo("POST", "/v1/tenants").map((c) => c.body)).toEqual([{ name: "initech", plan: "pro" }]);
  });

  it("shows a conflict in words", async () => {
    stub().on("POST", "/v1/tenants", {
      status: 409,
      json: problem(409, "conflict", "Conflict", "A tenant named 'acme' already exists."),
    });
    const user = userEvent.setup();
    await renderWithStub(<TenantsPage now={now} />, page);
    await screen.findByRole("table", { name: "Tenants" });
    await user.type(screen.getByLabelText("Name"), "acme");
    await user.click(screen.getByRole("button", { name: "Create tenant" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Conflict: A tenant named 'acme' already exists.");
  });
});
