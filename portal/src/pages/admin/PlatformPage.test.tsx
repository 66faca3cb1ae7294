import { afterEach, describe, expect, it, vi } from "vitest";
import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { PlatformPage } from "./PlatformPage";
import { HttpStub, problem, renderWithStub } from "../../test/pageHarness";

const page = { path: "/admin/platform", url: "/admin/platform" };
const start = Date.parse("2026-12-06T08:00:00Z");

/** 96 steps of 15 minutes (the 24h window), two engines with memory and storage in the last step. */
function summary(window: string) {
  const steps = window === "24h" ? 96 : 60;
  const step = window === "24h" ? 900 : 60;
  const points = Array.from({ length: steps }, (_, i) => {
    const last = i === steps - 1;
    return {
      time: new Date(start + i * step * 1000).toISOString(),
      requests: last ? 600 : 0,
      request_rate: last ? 600 / step : 0,
      client_errors: last ? 4 : 0,
      server_errors: last ? 1 : 0,
      latency_p50_ms: last ? 2 : null,
      latency_p99_ms: last ? 40 : null,
      storage_bytes: last ? 3 * 1024 ** 3 : null,
      engines: last ? 2 : null,
      memory_bytes: last ? 512 * 1024 ** 2 : null,
    };
  });
  const totals = { ...points.at(-1)!, time: points[0]!.time };
  return { tenant_id: null, window, step_seconds: step, from: points[0]!.time, to: points.at(-1)!.time, points, totals };
}

afterEach(() => vi.unstubAllGlobals());

describe("PlatformPage", () => {
  it("charts every tenant's figures with the engines and their memory, and switches window", async () => {
    const http = new HttpStub()
      .on("GET", "/v1/platform/metrics", (c) => ({ json: summary(c.query.get("window") ?? "1h") }))
      .install();
    await renderWithStub(<PlatformPage />, page);
    expect(await screen.findByRole("img", { name: /^Engines running\. Engines: latest 2, highest 2/ })).toBeInTheDocument();
    expect(screen.getByRole("img", { name: /^Engines' memory\. Working set: latest 512 MiB/ })).toBeInTheDocument();
    expect(screen.getByRole("img", { name: /^Storage\. Bytes on disk: latest 3 GiB/ })).toBeInTheDocument();
    expect(screen.getByRole("img", { name: /^Errors per step\. 4xx: latest 4, highest 4; 5xx: latest 1, highest 1/ })).toBeInTheDocument();
    expect(screen.getByText("4 / 1")).toBeInTheDocument();
    expect(screen.getByText("1 min steps, UTC")).toBeInTheDocument();

    await userEvent.setup().selectOptions(screen.getByLabelText("Window"), "Last 24 hours");
    expect(await screen.findByText("15 min steps, UTC")).toBeInTheDocument();
    expect(http.callsTo("GET", "/v1/platform/metrics").map((c) => c.query.get("window"))).toEqual(["1h", "24h"]);
  });

  it("shows a failed read in words", async () => {
    new HttpStub()
      .on("GET", "/v1/platform/metrics", { status: 503, json: problem(503, "unavailable", "Unavailable", "The database did not answer.") })
      .install();
    await renderWithStub(<PlatformPage />, page);
    expect(await screen.findByText(/The database did not answer\./)).toBeInTheDocument();
    expect(screen.queryByRole("img")).toBeNull();
  });
});
