import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { PlansPage } from "./PlansPage";
import { HttpStub, problem, renderWithStub } from "../../test/pageHarness";
import { freePlan, proPlan } from "../../test/managementFixtures";

const page = { path: "/admin/plans", url: "/admin/plans" };

function stub() {
  return new HttpStub().on("GET", "/v1/plans", { json: { plans: [freePlan, proPlan] } }).install();
}

async function editPro(user: ReturnType<typeof userEvent.setup>) {
  const row = await screen.findByRole("row", { name: /Pro \(pro\)/ });
  await user.click(within(row).getByRole("button", { name: "Edit" }));
  return screen.getByRole("form", { name: "Edit plan pro" });
}

afterEach(() => vi.unstubAllGlobals());

describe("PlansPage", () => {
  it("lists the plans' quotas and rate limits", async () => {
    stub();
    await renderWithStub(<PlansPage />, page);
    const row = await screen.findByRole("row", { name: /Pro \(pro\)/ });
    expect(row).toHaveTextContent("10,000,000");
    expect(row).toHaveTextContent("500 (1,000)");
  });

  it("saves the full body with PUT", async () => {
    const http = stub().on("PUT", "/v1/plans/{id}", (call, p) => ({ json: { ...(call.body as object), id: p.id } }));
    const user = userEvent.setup();
    await renderWithStub(<PlansPage />, page);
    const form = await editPro(user);
    const reads = within(form).getByLabelText("Reads per second");
    await user.clear(reads);
    await user.type(reads, "750");
    await user.click(within(form).getByRole("button", { name: "Save" }));
    await screen.findByText("Plan pro saved; its tenants have the new limits.");
    const { id: _, ...body } = proPlan;
    expect(http.callsTo("PUT", "/v1/plans/{id}").map((c) => [c.path, c.body])).toEqual([
      ["/v1/plans/pro", { ...body, read_rate_per_second: 750 }],
    ]);
  });

  it("checks each field before sending", async () => {
    const http = stub();
    const user = userEvent.setup();
    await renderWithStub(<PlansPage />, page);
    const form = await editPro(user);
    const points = within(form).getByLabelText("Max points");
    await user.clear(points);
    await user.type(points, "1.5");
    await user.click(within(form).getByRole("button", { name: "Save" }));
    expect(points).toHaveAccessibleDescription("Max points must be a whole number.");
    expect(http.callsTo("PUT", "/v1/plans/{id}")).toEqual([]);
  });

  it("shows the API's problem at the field it names, and others above the buttons", async () => {
    const http = stub().on("PUT", "/v1/plans/{id}", {
      status: 400,
      json: problem(400, "invalid-request", "Invalid request", "'max_requests_in_flight' must be between 1 and 10000."),
    });
    const user = userEvent.setup();
    await renderWithStub(<PlansPage />, page);
    const form = await editPro(user);
    await user.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByLabelText("Requests in flight")).toHaveAccessibleDescription(
      "'max_requests_in_flight' must be between 1 and 10000.",
    );

    http.on("PUT", "/v1/plans/{id}", {
      status: 403,
      json: problem(403, "forbidden", "Forbidden", "Only platform operators manage plans."),
    });
    await user.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByText("Forbidden: Only platform operators manage plans.")).toBeInTheDocument();
  });
});
