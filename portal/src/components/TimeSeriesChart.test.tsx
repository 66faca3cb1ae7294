import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { TimeSeriesChart } from "./TimeSeriesChart";

const times = ["2026-12-06T10:00:00Z", "2026-12-06T10:01:00Z", "2026-12-06T10:02:00Z", "2026-12-06T10:03:00Z"];
const fmt = (v: number) => `${v} r/s`;

describe("TimeSeriesChart", () => {
  it("draws one line per series, names the image with each series' latest and highest value", () => {
    const { container } = render(
      <TimeSeriesChart
        title="Requests per second"
        times={times}
        series={[
          { name: "4xx", color: "#d97706", values: [0, 3, 1, 2] },
          { name: "5xx", color: "#b91c1c", values: [0, 0, 0, 1] },
        ]}
        format={fmt}
        emptyMessage="Nothing"
      />,
    );
    const image = screen.getByRole("img");
    expect(image).toHaveAccessibleName(
      "Requests per second. 4xx: latest 2 r/s, highest 3 r/s; 5xx: latest 1 r/s, highest 1 r/s. The table below has every point.",
    );
    expect(container.querySelector('[data-series="4xx"]')).toHaveAttribute("data-nonzero-points", "3");
    expect(container.querySelector('[data-series="5xx"]')).toHaveAttribute("data-nonzero-points", "1");
    const line = container.querySelector('[data-series="4xx"] polyline')!;
    const ys = line.getAttribute("points")!.split(" ").map((p) => Number(p.split(",")[1]));
    // SVG y grows downwards: the highest value (3, second point) is the top of the plot, zero the bottom.
    expect(ys[1]).toBeLessThan(ys[2]!);
    expect(ys[0]).toBeGreaterThan(ys[3]!);
    expect(Math.min(...ys)).toBe(ys[1]);
  });

  it("leaves a gap where a value is null, and marks a lone point with a dot", () => {
    const { container } = render(
      <TimeSeriesChart
        title="Latency"
        times={times}
        series={[{ name: "p99", color: "#7c3aed", values: [5, 7, null, 9] }]}
        format={(v) => `${v} ms`}
        emptyMessage="Nothing"
      />,
    );
    const group = container.querySelector('[data-series="p99"]')!;
    expect(group.querySelectorAll("polyline")).toHaveLength(2);
    expect(group.querySelectorAll("circle")).toHaveLength(1);
  });

  it("shows the empty message instead of a flat line when nothing is above zero", () => {
    render(
      <TimeSeriesChart
        title="Errors"
        times={times}
        series={[{ name: "5xx", color: "#b91c1c", values: [0, 0, null, 0] }]}
        format={fmt}
        emptyMessage="No errors in this window."
      />,
    );
    expect(screen.queryByRole("img")).toBeNull();
    expect(screen.getByText("No errors in this window.")).toBeInTheDocument();
  });

  it("has every point in a table behind the chart, a gap as a dash", async () => {
    render(
      <TimeSeriesChart
        title="Latency"
        times={times}
        series={[{ name: "p99", color: "#7c3aed", values: [5, 7, null, 9] }]}
        format={(v) => `${v} ms`}
        emptyMessage="Nothing"
      />,
    );
    await userEvent.setup().click(screen.getByText("Show as a table"));
    const rows = within(screen.getByRole("table", { name: "Latency" })).getAllByRole("row").slice(1);
    expect(rows.map((r) => within(r).getAllByRole("cell").map((c) => c.textContent))).toEqual([
      ["12-06 10:00", "5 ms"],
      ["12-06 10:01", "7 ms"],
      ["12-06 10:02", "—"],
      ["12-06 10:03", "9 ms"],
    ]);
  });
});
