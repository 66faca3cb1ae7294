import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CollectionsPage } from "./CollectionsPage";
import { CollectionDetailPage } from "./CollectionDetailPage";
import { LoopbackApi } from "../../test/loopbackApi";
import { renderPage } from "../../test/renderPage";

const books = {
  name: "books",
  dimension: 3,
  metric: "cosine",
  index: { type: "hnsw", m: 16, ef_construction: 200, ef: 64 },
  quantization: "none",
  status: "ready",
  count: 2,
  bytes_on_disk: 4096,
};
const me = (role: string) => ({ id: "u1", email: "ada@example.com", platform_admin: false, memberships: [{ tenant_id: "acme", tenant_name: "Acme", role }] });

let server: LoopbackApi;
beforeEach(async () => {
  server = await new LoopbackApi().on("GET /v1/me", [200, me("owner")]).start();
});
afterEach(() => server.stop());

const routes = [
  { path: "/t/:tenantId/collections", element: <CollectionsPage /> },
  { path: "/t/:tenantId/collections/:name", element: <CollectionDetailPage /> },
];

describe("Collections page", () => {
  it("lists the collections through the member route with the person's token", async () => {
    server.on("GET /v1/tenants/acme/collections", [200, { collections: [books] }]);
    renderPage(routes, "/t/acme/collections", server.origin);
    const table = await screen.findByRole("table", { name: "Collections" });
    expect(table).toHaveTextContent("books");
    expect(table).toHaveTextContent("hnsw");
    const list = server.received.find((r) => r.path === "/v1/tenants/acme/collections")!;
    expect(list.authorization).toBe("Bearer member-token");
  });

  it("says when there are none", async () => {
    server.on("GET /v1/tenants/acme/collections", [200, { collections: [] }]);
    renderPage(routes, "/t/acme/collections", server.origin);
    expect(await screen.findByText(/No collections yet/)).toBeInTheDocument();
  });

  it("creates a collection with the index parameters and schema, then opens it", async () => {
    server
      .on("GET /v1/tenants/acme/collections", [200, { collections: [] }])
      .on("PUT /v1/tenants/acme/collections/books", [201, books])
      .on("GET /v1/tenants/acme/collections/books", [200, books]);
    const { router } = renderPage(routes, "/t/acme/collections", server.origin);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Create collection" }));
    await user.type(screen.getByLabelText("Name"), "books");
    await user.clear(screen.getByLabelText("Dimension"));
    await user.type(screen.getByLabelText("Dimension"), "3");
    await user.selectOptions(screen.getByLabelText("Metric"), "dot");
    await user.clear(screen.getByLabelText("m"));
    await user.type(screen.getByLabelText("m"), "32");
    await user.selectOptions(screen.getByLabelText("Quantization"), "int8");
    await user.click(screen.getByRole("button", { name: "Add field" }));
    await user.type(screen.getByLabelText("Field 1 name"), "genre");
    await user.click(screen.getByRole("button", { name: "Create" }));

    await waitFor(() => expect(router.state.location.pathname).toBe("/t/acme/collections/books"));
    const put = server.received.find((r) => r.method === "PUT")!;
    expect(put.body).toEqual({
      dimension: 3,
      metric: "dot",
      index: { type: "hnsw", m: 32, ef_construction: 200, ef: 64 },
      quantization: "int8",
      schema: { genre: "keyword" },
    });
  });

  it("refuses a bad name and an out-of-range m in words, sending nothing", async () => {
    server.on("GET /v1/tenants/acme/collections", [200, { collections: [] }]);
    renderPage(routes, "/t/acme/collections", server.origin);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Create collection" }));
    await user.type(screen.getByLabelText("Name"), "Books");
    await user.clear(screen.getByLabelText("m"));
    await user.type(screen.getByLabelText("m"), "500");
    await user.click(screen.getByRole("button", { name: "Create" }));
    expect(await screen.findByText(/Name: 1 to 63 of a-z/)).toBeInTheDocument();
    expect(screen.getByText("m must be between 2 and 128.")).toBeInTheDocument();
    expect(screen.getByLabelText("Name")).toHaveAttribute("aria-invalid", "true");
    expect(server.received.some((r) => r.method === "PUT")).toBe(false);
  });

  it("shows the API's refusal in words and keeps the form", async () => {
    server
      .on("GET /v1/tenants/acme/collections", [200, { collections: [books] }])
      .on("PUT /v1/tenants/acme/collections/books", [
        409,
        { type: "https://piramid.dev/problems/conflict", title: "Conflict", status: 409, detail: "Collection 'books' exists with other settings." },
      ]);
    renderPage(routes, "/t/acme/collections", server.origin);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Create collection" }));
    await user.type(screen.getByLabelText("Name"), "books");
    await user.click(screen.getByRole("button", { name: "Create" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Could not create the collection. Conflict: Collection 'books' exists with other settings.",
    );
    expect(screen.getByRole("form", { name: "Create collection" })).toBeInTheDocument();
  });

  it("offers no create button to a viewer", async () => {
    server.on("GET /v1/me", [200, me("viewer")]).on("GET /v1/tenants/acme/collections", [200, { collections: [books] }]);
    renderPage(routes, "/t/acme/collections", server.origin);
    await screen.findByRole("table", { name: "Collections" });
    expect(screen.queryByRole("button", { name: "Create collection" })).toBeNull();
  });
});

describe("Collection detail", () => {
  it("shows count, size and index settings, and deletes after the name is typed", async () => {
    server
      .on("GET /v1/tenants/acme/collections/books", [200, books])
      .on("GET /v1/tenants/acme/collections", [200, { collections: [] }])
      .on("DELETE /v1/tenants/acme/collections/books", [204]);
    const { router } = renderPage(routes, "/t/acme/collections/books", server.origin);
    const user = userEvent.setup();
    expect(await screen.findByText("hnsw, m 16, ef_construction 200, ef 64")).toBeInTheDocument();
    expect(screen.getByText("4.0 KiB")).toBeInTheDocument();
    await user.click(await screen.findByRole("button", { name: "Delete collection" }));
    const dialog = screen.getByRole("dialog");
    await user.type(screen.getByLabelText(/Type books to confirm/), "books");
    await user.click(within(dialog).getByRole("button", { name: "Delete collection" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/t/acme/collections"));
    expect(server.received.some((r) => r.method === "DELETE" && r.path === "/v1/tenants/acme/collections/books")).toBe(true);
  });
});

describe("Collections page for an operator who is not a member", () => {
  it("says so in words and asks nothing of the member routes", async () => {
    server.on("GET /v1/me", [200, { id: "op", email: "op@example.com", platform_admin: true, memberships: [] }]);
    renderPage(routes, "/t/acme/collections", server.origin);
    expect(await screen.findByRole("alert")).toHaveTextContent("Only the tenant's members see its collections");
    expect(screen.queryByRole("button", { name: "Create collection" })).toBeNull();
    expect(server.received.some((r) => r.path.startsWith("/v1/tenants/acme/collections"))).toBe(false);
  });
});
