import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { BillingPage } from "./BillingPage";
import { HttpStub, problem, renderWithStub } from "../../test/pageHarness";
import { me, TENANT_ID } from "../../test/managementFixtures";
import { againstIncluded, formatMoney, paymentStatusText, percentUsed } from "./billingView";
import type { TenantBilling } from "./billingQueries";

const page = { path: "/t/:tenantId/billing", url: `/t/${TENANT_ID}/billing` };
const now = () => new Date("2026-12-06T09:00:00Z");

function billing(extra: Partial<TenantBilling> = {}): TenantBilling {
  return {
    plan: "standard",
    payment_status: "active",
    writes_refused_from: null,
    cancel_at_period_end: false,
    stripe_enabled: true,
    period: {
      start: "2026-12-01",
      end: "2026-12-31",
      read_units: 12_500_000,
      write_units: 1_000,
      storage_gb_hours: 1.5,
      included_read_units: 10_000_000,
      included_write_units: 2_000_000,
      included_storage_gb_hours: 7300,
      estimated_amount: 25.63,
      currency: "usd",
    },
    invoices: [
      {
        number: "PIR-0001",
        period_start: "2026-11-01T00:00:00Z",
        period_end: "2026-12-01T00:00:00Z",
        amount: 31.2,
        currency: "usd",
        status: "paid",
        url: "https://invoice.stripe.com/i/in_1",
      },
    ],
    ...extra,
  };
}

afterEach(() => vi.unstubAllGlobals());

describe("BillingPage", () => {
  it("shows the plan, the payment status, usage against what the plan includes, the estimate and the invoices", async () => {
    new HttpStub()
      .on("GET", "/v1/me", { json: me("owner") })
      .on("GET", "/v1/tenants/{id}/billing", { json: billing() })
      .install();
    await renderWithStub(<BillingPage now={now} />, page);
    await screen.findByText("standard");
    expect(screen.getByText("Active: payments are in order.")).toBeInTheDocument();
    expect(screen.getByText(formatMoney(25.63, "usd"))).toBeInTheDocument();
    expect(screen.getByText(againstIncluded(12_500_000, 10_000_000))).toBeInTheDocument();
    expect(screen.getByText(againstIncluded(1.5, 7300, 2))).toBeInTheDocument();
    expect(screen.getByRole("meter", { name: "Read units used of included" })).toHaveAttribute("value", "100");
    const invoices = screen.getByRole("table", { name: "Invoices" });
    const row = within(invoices).getAllByRole("row")[1]!;
    expect(row).toHaveTextContent("PIR-0001");
    expect(row).toHaveTextContent("paid");
    expect(row).toHaveTextContent(formatMoney(31.2, "usd"));
    expect(within(row).getByRole("link", { name: "View invoice PIR-0001" })).toHaveAttribute("href", "https://invoice.stripe.com/i/in_1");
    expect(screen.queryByText(/Metering only/)).toBeNull();
  });

  it("opens the Stripe Checkout and Customer Portal sessions the API answers", async () => {
    const http = new HttpStub()
      .on("GET", "/v1/me", { json: me("admin") })
      .on("GET", "/v1/tenants/{id}/billing", { json: billing() })
      .on("POST", "/v1/tenants/{id}/billing/checkout", { json: { url: "https://checkout.stripe.com/c/pay/cs_1" } })
      .on("POST", "/v1/tenants/{id}/billing/portal", { json: { url: "https://billing.stripe.com/p/session/bps_1" } })
      .install();
    const opened: string[] = [];
    await renderWithStub(<BillingPage now={now} open={(url) => opened.push(url)} />, page);
    await userEvent.click(await screen.findByRole("button", { name: "Add a payment method" }));
    await userEvent.click(screen.getByRole("button", { name: "Manage billing in Stripe" }));
    await vi.waitFor(() =>
      expect(opened).toEqual(["https://checkout.stripe.com/c/pay/cs_1", "https://billing.stripe.com/p/session/bps_1"]),
    );
    expect(http.callsTo("POST", "/v1/tenants/{id}/billing/checkout")).toHaveLength(1);
  });

  it("shows a refused session's problem in words and opens nothing", async () => {
    new HttpStub()
      .on("GET", "/v1/me", { json: me("owner") })
      .on("GET", "/v1/tenants/{id}/billing", { json: billing() })
      .on("POST", "/v1/tenants/{id}/billing/portal", {
        status: 502,
        json: problem(502, "upstream-unavailable", "Stripe unavailable", "Stripe did not answer."),
      })
      .install();
    const opened: string[] = [];
    await renderWithStub(<BillingPage now={now} open={(url) => opened.push(url)} />, page);
    await userEvent.click(await screen.findByRole("button", { name: "Manage billing in Stripe" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Stripe did not answer.");
    expect(opened).toEqual([]);
  });

  it("says when the platform meters only: no payment buttons, no invoices", async () => {
    new HttpStub()
      .on("GET", "/v1/me", { json: me("owner") })
      .on("GET", "/v1/tenants/{id}/billing", { json: billing({ stripe_enabled: false, payment_status: "none", invoices: [] }) })
      .install();
    await renderWithStub(<BillingPage now={now} />, page);
    expect(await screen.findByText(/Metering only: this platform runs without Stripe\./)).toHaveAttribute("role", "status");
    expect(screen.getByText(formatMoney(25.63, "usd"))).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Add a payment method" })).toBeNull();
    expect(screen.queryByRole("table", { name: "Invoices" })).toBeNull();
  });

  it("shows a past-due tenant when its writes stop, and a subscription ending at the period's end", async () => {
    new HttpStub()
      .on("GET", "/v1/me", { json: me("owner") })
      .on("GET", "/v1/tenants/{id}/billing", {
        json: billing({ payment_status: "past_due", writes_refused_from: "2026-12-08T09:00:00Z", cancel_at_period_end: true }),
      })
      .install();
    await renderWithStub(<BillingPage now={now} />, page);
    expect(await screen.findByText(/Past due: an invoice could not be paid\. Writes are refused from/)).toBeInTheDocument();
    expect(screen.getByText("The subscription ends at the end of this period.", { exact: false })).toBeInTheDocument();
  });

  it("tells a developer that billing is for owners and admins, without asking the API", async () => {
    const http = new HttpStub()
      .on("GET", "/v1/me", { json: me("developer") })
      .on("GET", "/v1/tenants/{id}/billing", { json: billing() })
      .install();
    await renderWithStub(<BillingPage now={now} />, page);
    expect(await screen.findByText(/only the tenant's owners and admins manage its billing/)).toBeInTheDocument();
    expect(http.callsTo("GET", "/v1/tenants/{id}/billing")).toHaveLength(0);
  });
});

describe("billing words and numbers", () => {
  const when = (iso: string) => iso;
  it("says what each payment status means, past due before and after its grace end", () => {
    const t = new Date("2026-12-06T09:00:00Z");
    expect(paymentStatusText("past_due", "2026-12-05T09:00:00Z", t, when)).toBe(
      "Past due: writes are refused since 2026-12-05T09:00:00Z (reads go on). Pay the open invoice to lift it.",
    );
    expect(paymentStatusText("past_due", "2026-12-07T09:00:00Z", t, when)).toMatch(/^Past due: an invoice could not be paid\. Writes are refused from 2026-12-07/);
    expect(paymentStatusText("canceled", null, t, when)).toMatch(/suspended/);
    expect(paymentStatusText("none", null, t, when)).toBe("None: no subscription yet.");
  });

  it("caps the share used at 100 and handles plans that include nothing", () => {
    expect(percentUsed(5, 10)).toBe(50);
    expect(percentUsed(50, 10)).toBe(100);
    expect(percentUsed(0, 0)).toBe(0);
    expect(percentUsed(1, 0)).toBe(100);
  });

  it("writes money in the currency, and an unknown code as number and code", () => {
    expect(formatMoney(25.63, "usd", "en-US")).toBe("$25.63");
    expect(formatMoney(1, "not-a-code", "en-US")).toBe("1.00 NOT-A-CODE");
  });
});
