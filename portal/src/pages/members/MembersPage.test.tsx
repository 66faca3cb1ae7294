import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MembersPage } from "./MembersPage";
import { HttpStub, problem, renderWithStub } from "../../test/pageHarness";
import { ADMIN_ID, me, members, OWNER_ID, TENANT_ID, VIEWER_ID } from "../../test/managementFixtures";

const page = { path: "/t/:tenantId/members", url: `/t/${TENANT_ID}/members` };
const INVITE_URL = "http://portal.test/invite#token=q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c";

function stub(who: ReturnType<typeof me>) {
  return new HttpStub()
    .on("GET", "/v1/me", { json: who })
    .on("GET", "/v1/tenants/{id}/members", { json: members })
    .install();
}

const options = (select: HTMLElement) =>
  within(select)
    .getAllByRole("option")
    .map((o) => o.textContent);

afterEach(() => vi.unstubAllGlobals());

describe("MembersPage", () => {
  it("gives an owner a role select and Remove for the others, and Leave for themself", async () => {
    stub(me("owner", false, OWNER_ID));
    await renderWithStub(<MembersPage />, page);
    const table = await screen.findByRole("table", { name: "Members" });
    const self = within(table).getByRole("row", { name: /ada@example.com/ });
    expect(self).toHaveTextContent("(you)");
    expect(within(self).getByRole("button", { name: "Leave" })).toBeInTheDocument();
    expect(within(self).queryByRole("button", { name: "Remove" })).toBeNull();
    const admin = within(table).getByRole("row", { name: /grace@example.com/ });
    expect(options(within(admin).getByRole("combobox", { name: "Role of grace@example.com" }))).toEqual([
      "owner",
      "admin",
      "developer",
      "viewer",
    ]);
    expect(within(admin).getByRole("button", { name: "Remove" })).toBeInTheDocument();
    expect(screen.getByRole("columnheader", { name: "Since" })).toBeInTheDocument();
  });

  it("does not offer an admin what only an owner may do", async () => {
    stub(me("admin", false, ADMIN_ID));
    await renderWithStub(<MembersPage />, page);
    const table = await screen.findByRole("table", { name: "Members" });
    const owner = within(table).getByRole("row", { name: /ada@example.com/ });
    expect(within(owner).queryByRole("combobox")).toBeNull();
    expect(within(owner).queryByRole("button", { name: "Remove" })).toBeNull();
    const viewer = within(table).getByRole("row", { name: /linus@example.com/ });
    expect(options(within(viewer).getByRole("combobox"))).toEqual(["admin", "developer", "viewer"]);
    expect(options(screen.getByLabelText("Role"))).toEqual(["admin", "developer", "viewer"]);
  });

  it("gives a viewer the list and Leave only", async () => {
    stub(me("viewer", false, VIEWER_ID));
    await renderWithStub(<MembersPage />, page);
    const table = await screen.findByRole("table", { name: "Members" });
    expect(within(table).queryAllByRole("combobox")).toEqual([]);
    expect(
      within(table)
        .queryAllByRole("button")
        .map((b) => b.textContent),
    ).toEqual(["Leave"]);
    expect(screen.queryByRole("button", { name: "Invite member" })).toBeNull();
  });

  it("invites and shows the link once with Copy", async () => {
    const http = stub(me("owner")).on("POST", "/v1/tenants/{id}/invitations", (call) => ({
      status: 201,
      json: {
        id: "inv_0123456789abcdef",
        invite_url: INVITE_URL,
        role: (call.body as { role: string }).role,
        email: (call.body as { email?: string }).email ?? null,
        expires_at: "2026-12-13T09:00:00Z",
      },
    }));
    const user = userEvent.setup();
    const { queryClient } = await renderWithStub(<MembersPage />, page);
    await screen.findByRole("table", { name: "Members" });

    await user.type(screen.getByLabelText("Email (optional)"), "not-an-email");
    await user.click(screen.getByRole("button", { name: "Invite member" }));
    expect(screen.getByLabelText("Email (optional)")).toHaveAccessibleDescription(
      "Email must look like name@example.com, or be left empty.",
    );
    expect(http.callsTo("POST", "/v1/tenants/{id}/invitations")).toEqual([]);

    await user.clear(screen.getByLabelText("Email (optional)"));
    await user.selectOptions(screen.getByLabelText("Role"), "developer");
    await user.click(screen.getByRole("button", { name: "Invite member" }));
    const dialog = await screen.findByRole("dialog", { name: "Invitation link" });
    expect(http.callsTo("POST", "/v1/tenants/{id}/invitations").map((c) => c.body)).toEqual([{ role: "developer" }]);
    expect(within(dialog).getByDisplayValue(INVITE_URL)).toBeInTheDocument();
    expect(dialog).toHaveTextContent("It will not be shown again.");
    await user.click(within(dialog).getByRole("button", { name: "Copy" }));
    expect(await navigator.clipboard.readText()).toBe(INVITE_URL);
    await user.click(within(dialog).getByRole("button", { name: "Done" }));
    expect(document.body.innerHTML).not.toContain("q1w2e3r4");
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
    expect(JSON.stringify(cached)).not.toContain("q1w2e3r4");
  });

  it("changes a role on Save (choosing alone sends nothing) and says so; a refusal is shown in words", async () => {
    const http = stub(me("owner")).on("PATCH", "/v1/tenants/{id}/members/{user_id}", (call, params) => ({
      json: {
        ...members.members!.find((m) => m.user_id === params.user_id),
        role: (call.body as { role: string }).role,
      },
    }));
    const user = userEvent.setup();
    await renderWithStub(<MembersPage />, page);
    const linus = await screen.findByRole("row", { name: /linus@example.com/ });
    expect(within(linus).getByRole("button", { name: "Save" })).toBeDisabled();
    await user.selectOptions(within(linus).getByRole("combobox", { name: "Role of linus@example.com" }), "admin");
    await user.selectOptions(within(linus).getByRole("combobox", { name: "Role of linus@example.com" }), "developer");
    expect(http.callsTo("PATCH", "/v1/tenants/{id}/members/{user_id}")).toEqual([]);
    await user.click(within(linus).getByRole("button", { name: "Save" }));
    await screen.findByText("linus@example.com is now developer.");
    expect(http.callsTo("PATCH", "/v1/tenants/{id}/members/{user_id}").map((c) => [c.path, c.body])).toEqual([
      [`/v1/tenants/${TENANT_ID}/members/${VIEWER_ID}`, { role: "developer" }],
    ]);

    http.on("PATCH", "/v1/tenants/{id}/members/{user_id}", {
      status: 409,
      json: problem(
        409,
        "conflict",
        "Conflict",
        "A tenant always keeps at least one owner: the last owner cannot be demoted.",
      ),
    });
    const grace = screen.getByRole("row", { name: /grace@example.com/ });
    await user.selectOptions(within(grace).getByRole("combobox", { name: "Role of grace@example.com" }), "viewer");
    await user.click(within(grace).getByRole("button", { name: "Save" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "The role of grace@example.com was not changed: Conflict: A tenant always keeps at least one owner",
    );
  });

  it("removes a member only after confirmation", async () => {
    const http = stub(me("owner")).on("DELETE", "/v1/tenants/{id}/members/{user_id}", { status: 204 });
    const user = userEvent.setup();
    await renderWithStub(<MembersPage />, page);
    const row = await screen.findByRole("row", { name: /linus@example.com/ });
    await user.click(within(row).getByRole("button", { name: "Remove" }));
    const dialog = screen.getByRole("dialog", { name: "Remove member" });
    await user.keyboard("{Escape}");
    expect(dialog).not.toBeInTheDocument();
    expect(http.callsTo("DELETE", "/v1/tenants/{id}/members/{user_id}")).toEqual([]);

    await user.click(within(row).getByRole("button", { name: "Remove" }));
    await user.click(screen.getByRole("button", { name: "Remove member" }));
    await screen.findByText("linus@example.com was removed.");
    expect(http.callsTo("DELETE", "/v1/tenants/{id}/members/{user_id}").map((c) => c.path)).toEqual([
      `/v1/tenants/${TENANT_ID}/members/${VIEWER_ID}`,
    ]);
  });

  it("leaves the tenant after confirmation and goes to the start page", async () => {
    const http = stub(me("viewer", false, VIEWER_ID)).on("DELETE", "/v1/tenants/{id}/members/{user_id}", {
      status: 204,
    });
    const user = userEvent.setup();
    await renderWithStub(<MembersPage />, page);
    await user.click(await screen.findByRole("button", { name: "Leave" }));
    await user.click(screen.getByRole("button", { name: "Leave tenant" }));
    await screen.findByText("Left the page for another");
    expect(http.callsTo("DELETE", "/v1/tenants/{id}/members/{user_id}").map((c) => c.path)).toEqual([
      `/v1/tenants/${TENANT_ID}/members/${VIEWER_ID}`,
    ]);
    await waitFor(() => expect(http.callsTo("GET", "/v1/me").length).toBeGreaterThanOrEqual(1));
  });
});
