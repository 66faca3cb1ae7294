import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { TenantDetailPage } from "./TenantDetailPage";
import { HttpStub, problem, renderWithStub } from "../../test/pageHarness";
import { freePlan, proPlan, tenant } from "../../test/managementFixtures";

const page = { path: "/admin/tenants/:tenantId", url: "/admin/tenants/t-acme" };

/** A tenant whose state the stub keeps, so suspend, resume and plan changes show on the next read. */
function stub() {
  let current = tenant("t-acme", "acme", "active", "free");
  return new HttpStub()
    .on("GET", "/v1/tenants/{id}", () => ({ json: current }))
    .on("GET", "/v1/plans", { json: { plans: [freePlan, proPlan] } })
    .on("PATCH", "/v1/tenants/{id}", (call) => {
      current = { ...current, plan: (call.body as { plan: string }).plan };
      return { json: current };
    })
    .on("POST", "/v1/tenants/{id}/suspend", () => {
      current = { ...current, status: "suspended" };
      return { json: current };
    })
    .on("POST", "/v1/tenants/{id}/resume", () => {
      current = { ...current, status: "active" };
      return { json: current };
    })
    .on("DELETE", "/v1/tenants/{id}", () => {
      current = { ...current, status: "deleted" };
      return { json: current };
    })
    .install();
}

afterEach(() => vi.unstubAllGlobals());

describe("TenantDetailPage", () => {
  it("shows the tenant and links to its own pages", async () => {
    stub();
    await renderWithStub(<TenantDetailPage />, page);
    await screen.findByRole("heading", { name: "Tenant acme" });
    const links = within(screen.getByRole("navigation", { name: "The tenant's pages" })).getAllByRole("link");
    expect(links.map((l) => [l.textContent, l.getAttribute("href")])).toEqual([
      ["Overview", "/t/t-acme/overview"],
      ["Collections", "/t/t-acme/collections"],
      ["API keys", "/t/t-acme/api-keys"],
      ["Members", "/t/t-acme/members"],
      ["Audit log", "/t/t-acme/audit"],
    ]);
  });

  it("changes the plan from the plans the API lists", async () => {
    const http = stub();
    const user = userEvent.setup();
    await renderWithStub(<TenantDetailPage />, page);
    const select = await screen.findByLabelText("Plan");
    await screen.findByRole("option", { name: "Pro (pro)" });
    expect(screen.getByRole("button", { name: "Change plan" })).toBeDisabled();
    await user.selectOptions(select, "pro");
    await user.click(screen.getByRole("button", { name: "Change plan" }));
    await screen.findByText("Plan changed to pro.");
    expect(http.callsTo("PATCH", "/v1/tenants/{id}").map((c) => c.body)).toEqual([{ plan: "pro" }]);
  });

  it("suspends after confirmation, then resumes", async () => {
    const http = stub();
    const user = userEvent.setup();
    await renderWithStub(<TenantDetailPage />, page);
    await user.click(await screen.findByRole("button", { name: "Suspend" }));
    await user.click(
      within(screen.getByRole("dialog", { name: "Suspend tenant" })).getByRole("button", { name: "Cancel" }),
    );
    expect(http.callsTo("POST", "/v1/tenants/{id}/suspend")).toEqual([]);

    await user.click(screen.getByRole("button", { name: "Suspend" }));
    await user.click(screen.getByRole("button", { name: "Suspend tenant" }));
    await screen.findByText(/Tenant suspended/);
    expect(http.callsTo("POST", "/v1/tenants/{id}/suspend")).toHaveLength(1);

    await user.click(await screen.findByRole("button", { name: "Resume" }));
    await screen.findByText(/Tenant resumed/);
    expect(http.callsTo("POST", "/v1/tenants/{id}/resume")).toHaveLength(1);
    expect(await screen.findByRole("button", { name: "Suspend" })).toBeInTheDocument();
  });

  it("deletes only once the name is typed, then goes back to the list", async () => {
    const http = stub();
    const user = userEvent.setup();
    await renderWithStub(<TenantDetailPage />, page);
    await user.click(await screen.findByRole("button", { name: "Delete" }));
    const dialog = screen.getByRole("dialog", { name: "Delete tenant" });
    const confirm = within(dialog).getByRole("button", { name: "Delete tenant" });
    expect(confirm).toBeDisabled();
    await user.type(within(dialog).getByLabelText(/Type acme to confirm/), "acm");
    expect(confirm).toBeDisabled();
    await user.type(within(dialog).getByLabelText(/Type acme to confirm/), "e");
    await user.click(confirm);
    await screen.findByText("Left the page for another");
    expect(http.callsTo("DELETE", "/v1/tenants/{id}").map((c) => c.path)).toEqual(["/v1/tenants/t-acme"]);
  });

  it("says when the tenant does not exist", async () => {
    new HttpStub()
      .on("GET", "/v1/tenants/{id}", {
        status: 404,
        json: problem(404, "not-found", "Not found", "Tenant 't-acme' does not exist."),
      })
      .on("GET", "/v1/plans", { json: { plans: [] } })
      .install();
    await renderWithStub(<TenantDetailPage />, page);
    expect(await screen.findByRole("alert")).toHaveTextContent("Not found: Tenant 't-acme' does not exist.");
  });
});
