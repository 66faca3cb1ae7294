import { describe, expect, it } from "vitest";
import { checkTenantForm, formatUnits, matchesTenant, thisMonthUtc } from "./tenantList";

describe("tenant search", () => {
  const acme = { id: "ten_0A1b2C", name: "acme-prod" };
  it.each([
    ["", true],
    ["ACME", true],
    ["prod", true],
    ["0a1B", true],
    ["globex", false],
  ])("%j matches acme: %s", (query, expected) => {
    expect(matchesTenant(acme, query)).toBe(expected);
  });
});

describe("thisMonthUtc", () => {
  it("runs from the first UTC day of the month to today", () => {
    expect(thisMonthUtc(new Date("2026-12-06T09:00:00Z"))).toEqual({ from: "2026-12-01", to: "2026-12-06" });
  });

  it("uses the UTC day, not the local one, at a month boundary", () => {
    expect(thisMonthUtc(new Date("2027-01-01T00:30:00Z"))).toEqual({ from: "2027-01-01", to: "2027-01-01" });
    expect(thisMonthUtc(new Date("2026-12-31T23:59:59Z"))).toEqual({ from: "2026-12-01", to: "2026-12-31" });
  });
});

describe("checkTenantForm", () => {
  it("accepts the API rule and sends the plan when one is chosen", () => {
    expect(checkTenantForm({ name: " acme ", plan: "pro" })).toEqual({
      ok: true,
      body: { name: "acme", plan: "pro" },
    });
    expect(checkTenantForm({ name: "a", plan: "" })).toEqual({ ok: true, body: { name: "a" } });
  });

  it.each(["", "Acme", "-acme", "ac me", "x".repeat(64)])("refuses %j", (name) => {
    expect(checkTenantForm({ name, plan: "" }).ok).toBe(false);
  });
});

describe("formatUnits", () => {
  it("shows the count against the quota", () => {
    expect(formatUnits(12345, 1000000)).toBe("12,345 of 1,000,000");
    expect(formatUnits(0, undefined)).toBe("0");
    expect(formatUnits(undefined, 5)).toBe("—");
  });
});
