import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ApiKeysPage } from "./ApiKeysPage";
import { HttpStub, problem, renderWithStub } from "../../test/pageHarness";
import { formatTime } from "../shared/formatTime";
import { activeKey, collections, me, revokedKey, SECRET, TENANT_ID } from "../../test/managementFixtures";

const now = () => new Date("2026-12-06T09:00:00Z");
const page = { path: "/t/:tenantId/api-keys", url: `/t/${TENANT_ID}/api-keys` };

function stub(keys = [activeKey, revokedKey]) {
  return new HttpStub()
    .on("GET", "/v1/me", { json: me("admin") })
    .on("GET", "/v1/tenants/{id}/api-keys", { json: { api_keys: keys } })
    .on("GET", "/v1/tenants/{tenant_id}/collections", { json: collections })
    .install();
}

afterEach(() => vi.unstubAllGlobals());

describe("ApiKeysPage", () => {
  it("lists the active keys with prefix, role, scope, created, expiry and last use (never, when unused)", async () => {
    stub();
    await renderWithStub(<ApiKeysPage now={now} />, page);
    const table = await screen.findByRole("table", { name: "API keys" });
    const headers = within(table)
      .getAllByRole("columnheader")
      .map((h) => h.textContent);
    expect(headers).toEqual(["Name", "Prefix", "Role", "Collections", "Created", "Expires", "Last used", "Status", "Actions"]);
    const row = within(table).getByRole("row", { name: /search-service/ });
    expect(row).toHaveTextContent("pk_0123456789abcdef_…");
    expect(row).toHaveTextContent("read_only");
    expect(row).toHaveTextContent("movies");
    expect(within(row).getAllByRole("cell")[6]).toHaveTextContent(formatTime(activeKey.last_used_at!));
    expect(within(table).queryByText("old-batch-job")).toBeNull();

    await userEvent.click(screen.getByRole("checkbox", { name: "Show revoked keys" }));
    const revoked = within(table).getByRole("row", { name: /old-batch-job/ });
    expect(revoked).toHaveTextContent("All collections");
    expect(within(revoked).getAllByRole("cell")[6]).toHaveTextContent(/^never$/);
    expect(within(within(table).getByRole("row", { name: /old-batch-job/ })).queryByRole("button")).toBeNull();
  });

  it("says when there is no key, and shows a refusal in words", async () => {
    stub([]);
    await renderWithStub(<ApiKeysPage now={now} />, page);
    expect(await screen.findByText(/No API keys yet/)).toBeInTheDocument();

    vi.unstubAllGlobals();
    new HttpStub()
      .on("GET", "/v1/me", { json: me(null, true) })
      .on("GET", "/v1/tenants/{id}/api-keys", {
        status: 403,
        json: problem(403, "forbidden", "Forbidden", "The role 'read_only' may not manage API keys."),
      })
      .on("GET", "/v1/tenants/{tenant_id}/collections", { json: collections })
      .install();
    await renderWithStub(<ApiKeysPage now={now} />, page);
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Forbidden: The role 'read_only' may not manage API keys.",
    );
  });

  it("tells a developer or viewer that keys are for admins, without asking for them", async () => {
    for (const role of ["developer", "viewer"]) {
      const http = stub().on("GET", "/v1/me", { json: me(role) });
      const view = await renderWithStub(<ApiKeysPage now={now} />, page);
      expect(await screen.findByRole("alert")).toHaveTextContent(
        "Forbidden: only the tenant's owners and admins manage its API keys.",
      );
      expect(screen.queryByRole("button", { name: "Create API key" })).toBeNull();
      expect(http.callsTo("GET", "/v1/tenants/{id}/api-keys")).toEqual([]);
      view.unmount();
      vi.unstubAllGlobals();
    }
  });

  it("creates a key and shows its secret once, with Copy and a warning, then forgets it", async () => {
    const http = stub().on("POST", "/v1/tenants/{id}/api-keys", (call) => ({
      status: 201,
      json: { ...activeKey, id: "aaaaaaaaaaaaaaaa", ...(call.body as object), key: SECRET },
    }));
    const user = userEvent.setup();
    const { queryClient } = await renderWithStub(<ApiKeysPage now={now} />, page);
    await screen.findByRole("table", { name: "API keys" });

    await user.type(screen.getByLabelText("Name"), "ingest");
    await user.selectOptions(screen.getByLabelText("Role"), "read_write");
    await user.click(await screen.findByRole("checkbox", { name: "books" }));
    await user.type(screen.getByLabelText(/Other collection names/), "news, books");
    await user.click(screen.getByRole("button", { name: "Create API key" }));

    const dialog = await screen.findByRole("dialog", { name: "API key created" });
    expect(http.callsTo("POST", "/v1/tenants/{id}/api-keys").map((c) => c.body)).toEqual([
      { name: "ingest", role: "read_write", collections: ["books", "news"] },
    ]);
    expect(within(dialog).getByDisplayValue(SECRET)).toBeInTheDocument();
    expect(dialog).toHaveTextContent("It will not be shown again.");
    await user.click(within(dialog).getByRole("button", { name: "Copy" }));
    expect(await navigator.clipboard.readText()).toBe(SECRET);

    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(document.body.innerHTML).not.toContain(SECRET);
    // Nothing keeps the secret once the dialog is closed: not the page, not the query or mutation caches.
    const cached = [
      ...queryClient
        .getQueryCache()
        .getAll()
        .map((q) => q.state.data),
      ...queryClient
        .getMutationCache()
        .getAll()
        .map((m) => m.state.data),
    ];
    expect(JSON.stringify(cached)).not.toContain(SECRET);
    await waitFor(() => expect(http.callsTo("GET", "/v1/tenants/{id}/api-keys").length).toBe(2));
    expect(http.unmatched).toEqual([]);
  });

  it("lets an operator who is no member scope a key by typed names, without asking for the collections", async () => {
    const http = stub()
      .on("GET", "/v1/me", { json: me(null, true) })
      .on("POST", "/v1/tenants/{id}/api-keys", (call) => ({
        status: 201,
        json: { ...activeKey, ...(call.body as object), key: SECRET },
      }));
    const user = userEvent.setup();
    await renderWithStub(<ApiKeysPage now={now} />, page);
    expect(await screen.findByText(/listed to its members only; type their names below/)).toBeInTheDocument();
    await user.type(screen.getByLabelText("Name"), "ops");
    await user.type(screen.getByLabelText(/Other collection names/), "wordnet");
    await user.click(screen.getByRole("button", { name: "Create API key" }));
    await screen.findByRole("dialog", { name: "API key created" });
    expect(http.callsTo("POST", "/v1/tenants/{id}/api-keys").map((c) => c.body)).toEqual([
      { name: "ops", role: "read_only", collections: ["wordnet"] },
    ]);
    expect(http.callsTo("GET", "/v1/tenants/{tenant_id}/collections")).toEqual([]);
  });

  it("checks the form before sending, and shows a 400 at the field it names", async () => {
    const http = stub().on("POST", "/v1/tenants/{id}/api-keys", {
      status: 400,
      json: problem(400, "invalid-request", "Invalid request", "'expires_at' must be in the future."),
    });
    const user = userEvent.setup();
    await renderWithStub(<ApiKeysPage now={now} />, page);
    await user.click(await screen.findByRole("button", { name: "Create API key" }));
    expect(screen.getByLabelText("Name")).toHaveAccessibleDescription("Name is required.");
    expect(http.callsTo("POST", "/v1/tenants/{id}/api-keys")).toEqual([]);

    await user.type(screen.getByLabelText("Name"), "k");
    await user.click(screen.getByRole("button", { name: "Create API key" }));
    await waitFor(() =>
      expect(screen.getByLabelText(/Expires at/)).toHaveAccessibleDescription("'expires_at' must be in the future."),
    );
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("rotates with a checked grace period and shows the new secret once", async () => {
    const user = userEvent.setup();
    const http = stub().on("POST", "/v1/tenants/{id}/api-keys/{key_id}/rotate", (_call, params) => ({
      json: { ...activeKey, id: params.key_id, rotated_at: "2026-12-06T09:00:00Z", key: SECRET },
    }));
    const { queryClient } = await renderWithStub(<ApiKeysPage now={now} />, page);
    const row = await screen.findByRole("row", { name: /search-service/ });
    await user.click(within(row).getByRole("button", { name: "Rotate" }));
    const dialog = screen.getByRole("dialog", { name: 'Rotate "search-service"' });
    const grace = within(dialog).getByLabelText("Grace period (seconds)");
    await user.clear(grace);
    await user.type(grace, "-1");
    await user.click(within(dialog).getByRole("button", { name: "Rotate key" }));
    expect(grace).toHaveAccessibleDescription("Grace period must be a whole number of seconds (0 or more).");
    expect(http.callsTo("POST", "/v1/tenants/{id}/api-keys/{key_id}/rotate")).toEqual([]);

    await user.clear(grace);
    await user.type(grace, "3600");
    await user.click(within(dialog).getByRole("button", { name: "Rotate key" }));
    const shown = await screen.findByRole("dialog", { name: "API key rotated" });
    expect(within(shown).getByDisplayValue(SECRET)).toBeInTheDocument();
    const calls = http.callsTo("POST", "/v1/tenants/{id}/api-keys/{key_id}/rotate");
    expect(calls.map((c) => [c.path, c.body])).toEqual([
      [`/v1/tenants/${TENANT_ID}/api-keys/0123456789abcdef/rotate`, { grace_period_seconds: 3600 }],
    ]);
    await user.click(within(shown).getByRole("button", { name: "Done" }));
    expect(document.body.innerHTML).not.toContain(SECRET);
    const cached = [
      ...queryClient
        .getQueryCache()
        .getAll()
        .map((q) => q.state.data),
      ...queryClient
        .getMutationCache()
        .getAll()
        .map((m) => m.state.data),
    ];
    expect(JSON.stringify(cached)).not.toContain(SECRET);
  });

  it("revokes only after confirmation", async () => {
    const http = stub().on("DELETE", "/v1/tenants/{id}/api-keys/{key_id}", { status: 204 });
    const user = userEvent.setup();
    await renderWithStub(<ApiKeysPage now={now} />, page);
    const row = await screen.findByRole("row", { name: /search-service/ });

    await user.click(within(row).getByRole("button", { name: "Revoke" }));
    await user.click(
      within(screen.getByRole("dialog", { name: "Revoke API key" })).getByRole("button", { name: "Cancel" }),
    );
    expect(http.callsTo("DELETE", "/v1/tenants/{id}/api-keys/{key_id}")).toEqual([]);

    await user.click(within(row).getByRole("button", { name: "Revoke" }));
    await user.click(screen.getByRole("button", { name: "Revoke key" }));
    await screen.findByText('Key "search-service" revoked.');
    expect(http.callsTo("DELETE", "/v1/tenants/{id}/api-keys/{key_id}").map((c) => c.path)).toEqual([
      `/v1/tenants/${TENANT_ID}/api-keys/0123456789abcdef`,
    ]);
    expect(screen.queryByRole("dialog")).toBeNull();
  });
});
