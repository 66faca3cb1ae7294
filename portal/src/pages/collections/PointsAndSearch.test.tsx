import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CollectionDetailPage } from "./CollectionDetailPage";
import { LoopbackApi, type Received } from "../../test/loopbackApi";
import { renderPage } from "../../test/renderPage";

const books = {
  name: "books",
  dimension: 3,
  metric: "cosine",
  index: { type: "flat" },
  quantization: "none",
  status: "ready",
  count: 3,
  bytes_on_disk: 100,
};

let server: LoopbackApi;
beforeEach(async () => {
  server = await new LoopbackApi()
    .on("GET /v1/me", [200, { id: "u1", email: "a@example.com", memberships: [{ tenant_id: "acme", tenant_name: "Acme", role: "developer" }] }])
    .on("GET /v1/tenants/acme/collections/books", [200, books])
    .start();
});
afterEach(() => server.stop());

const routes = [{ path: "/t/:tenantId/collections/:name", element: <CollectionDetailPage /> }];
const scrolls = () => server.received.filter((r) => r.path.endsWith("/scroll"));

describe("Point browser", () => {
  it("scrolls with the filter, shows metadata as JSON, and pages with next_cursor and the same filter", async () => {
    server.on("POST /v1/tenants/acme/collections/books/scroll", (r: Received) => {
      const body = r.body as { cursor?: string | null };
      return body.cursor
        ? [200, { points: [{ id: "c", metadata: { genre: "drama", year: 2003 } }], next_cursor: null }]
        : [200, { points: [{ id: "a", metadata: { genre: "drama" } }, { id: "b", metadata: { genre: "drama" } }], next_cursor: "opaque-1" }];
    });
    renderPage(routes, "/t/acme/collections/books", server.origin);
    const user = userEvent.setup();
    const filter = await screen.findByLabelText("Filter (JSON)");
    await user.type(filter, '{{"genre": "drama"}');
    await user.clear(screen.getByLabelText("Page size"));
    await user.type(screen.getByLabelText("Page size"), "2");
    await user.click(screen.getByRole("button", { name: "Scroll" }));
    expect(await screen.findByText("Page 1: 2 points.")).toBeInTheDocument();
    expect(screen.getByLabelText("Metadata of a")).toHaveTextContent('"genre": "drama"');

    // Editing the filter does not change the pages of the scroll already under way.
    await user.clear(filter);
    await user.type(filter, '{{"genre": "comedy"}');
    await user.click(screen.getByRole("button", { name: "Next page" }));
    expect(await screen.findByText("Page 2: 1 point.")).toBeInTheDocument();
    expect(screen.getByLabelText("Metadata of c").textContent).toBe(JSON.stringify({ genre: "drama", year: 2003 }, null, 2));
    expect(screen.getByRole("button", { name: "Next page" })).toBeDisabled();
    expect(scrolls().map((r) => r.body)).toEqual([
      { filter: { genre: "drama" }, limit: 2, cursor: null, include_vector: false, include_metadata: true },
      { filter: { genre: "drama" }, limit: 2, cursor: "opaque-1", include_vector: false, include_metadata: true },
    ]);
  });

  it("does not send a filter that is not a JSON object", async () => {
    renderPage(routes, "/t/acme/collections/books", server.origin);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Filter (JSON)"), "[[1]");
    expect(screen.getByRole("button", { name: "Scroll" })).toBeDisabled();
    expect(scrolls()).toHaveLength(0);
  });

  it("shows the engine's 400 in words", async () => {
    server.on("POST /v1/tenants/acme/collections/books/scroll", [
      400,
      { type: "https://piramid.dev/problems/invalid-filter", title: "Invalid filter", status: 400, detail: "filter.year: expected an integer; got \"1965\"." },
    ]);
    renderPage(routes, "/t/acme/collections/books", server.origin);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Filter (JSON)"), '{{"year": "1965"}');
    await user.click(screen.getByRole("button", { name: "Scroll" }));
    expect(await screen.findByRole("alert")).toHaveTextContent('Invalid filter: filter.year: expected an integer; got "1965".');
  });
});

describe("Search playground", () => {
  it("searches by a stored point with top_k and ef, shows scores and the equivalent curl", async () => {
    server.on("POST /v1/tenants/acme/collections/books/search", [200, { results: [{ id: "b", score: 0.91234, metadata: { genre: "drama" } }] }]);
    renderPage(routes, "/t/acme/collections/books?tab=search", server.origin);
    const user = userEvent.setup();
    expect(await screen.findByRole("tab", { name: "Search" })).toHaveAttribute("aria-selected", "true");
    await user.type(screen.getByLabelText("Point id"), "a");
    await user.clear(screen.getByLabelText("top_k"));
    await user.type(screen.getByLabelText("top_k"), "5");
    await user.type(screen.getByLabelText("ef"), "128");
    await user.click(screen.getByRole("button", { name: "Search" }));
    expect(await screen.findByText("score 0.9123")).toBeInTheDocument();
    const search = server.received.find((r) => r.path.endsWith("/search"))!;
    expect(search.body).toEqual({ top_k: 5, include_metadata: true, id: "a", ef: 128 });
    const curl = screen.getByLabelText("curl command").textContent!;
    expect(curl).toContain("/v1/collections/books/search'");
    expect(curl).toContain('-H "Authorization: Bearer $PIRAMID_API_KEY"');
    expect(curl).toContain(`-d '${JSON.stringify(search.body)}'`);
    expect(screen.getByRole("button", { name: "Copy curl" })).toBeInTheDocument();
  });

  it("searches by a pasted vector of the collection's dimension only", async () => {
    server.on("POST /v1/tenants/acme/collections/books/search", [200, { results: [] }]);
    renderPage(routes, "/t/acme/collections/books?tab=search", server.origin);
    const user = userEvent.setup();
    await user.click(await screen.findByLabelText("A pasted vector"));
    const box = screen.getByLabelText("Query vector");
    await user.type(box, "[[0.1, 0.2]");
    expect(screen.getByText("The vector has 2 values; this collection's dimension is 3.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Search" })).toBeDisabled();
    await user.clear(box);
    await user.type(box, "0.1, 0.2, 0.3");
    await user.click(screen.getByRole("button", { name: "Search" }));
    expect(await screen.findByText("No results.")).toBeInTheDocument();
    await waitFor(() =>
      expect(server.received.find((r) => r.path.endsWith("/search"))?.body).toEqual({ top_k: 10, include_metadata: true, vector: [0.1, 0.2, 0.3] }),
    );
  });

  it("moves between tabs with the arrow keys", async () => {
    renderPage(routes, "/t/acme/collections/books", server.origin);
    const user = userEvent.setup();
    const points = await screen.findByRole("tab", { name: "Points" });
    expect(points).toHaveAttribute("aria-selected", "true");
    points.focus();
    await user.keyboard("{ArrowRight}");
    expect(screen.getByRole("tab", { name: "Search" })).toHaveAttribute("aria-selected", "true");
    expect(screen.getByRole("tab", { name: "Search" })).toHaveFocus();
    expect(screen.getByLabelText("Point id")).toBeInTheDocument();
  });
});
