import { describe, expect, it } from "vitest";
import { fillDays, lastDays, thisMonth, useOf } from "./usageDays";

describe("usage days", () => {
  const now = new Date("2026-03-02T23:30:00Z");

  it("counts this month in UTC", () => {
    expect(thisMonth(now)).toEqual({ from: "2026-03-01", to: "2026-03-02" });
  });

  it("takes the last days across a month end", () => {
    expect(lastDays(now, 5)).toEqual({ from: "2026-02-26", to: "2026-03-02" });
  });

  it("fills the days the API leaves out with zero", () => {
    const days = fillDays({ days: [{ day: "2026-02-27", read_units: 4, write_units: 1 }] }, "2026-02-26", "2026-03-01");
    expect(days).toEqual([
      { day: "2026-02-26", read: 0, write: 0 },
      { day: "2026-02-27", read: 4, write: 1 },
      { day: "2026-02-28", read: 0, write: 0 },
      { day: "2026-03-01", read: 0, write: 0 },
    ]);
  });

  it("writes use against a quota", () => {
    expect(useOf(1234, 10000)).toBe("1,234 of 10,000 (12 %)");
    expect(useOf(20000, 10000)).toBe("20,000 of 10,000 (100 %)");
    expect(useOf(5, undefined)).toBe("5");
  });
});
