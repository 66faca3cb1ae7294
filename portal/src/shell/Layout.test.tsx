import { render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { UserManager } from "oidc-client-ts";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createMemoryRouter, RouterProvider } from "react-router";
import { AuthProvider } from "../auth/AuthContext";
import { ApiContext } from "../api/ApiContext";
import { createApi } from "../api/client";
import { userManagerSettings } from "../auth/userManager";
import { Layout } from "./Layout";
import { HomeRedirect } from "./HomeRedirect";
import { LoopbackApi } from "../test/loopbackApi";

let server: LoopbackApi | undefined;
afterEach(() => server?.stop());

async function renderShell(me: unknown, path: string) {
  server = await new LoopbackApi().on("GET /v1/me", [200, me]).start();
  const api = createApi({ baseUrl: server.origin, getAccessToken: async () => "t" });
  const router = createMemoryRouter(
    [
      {
        element: <Layout />,
        children: [
          { index: true, element: <HomeRedirect /> },
          { path: "t/:tenantId/*", element: <p>tenant page</p> },
          { path: "admin/*", element: <p>admin page</p> },
        ],
      },
    ],
    { initialEntries: [path] },
  );
  render(
    <AuthProvider userManager={new UserManager(userManagerSettings(server.origin, window.sessionStorage))}>
      <ApiContext.Provider value={api}>
        <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </ApiContext.Provider>
    </AuthProvider>,
  );
  return router;
}

const member = { id: "u1", email: "ada@example.com", platform_admin: false, memberships: [{ tenant_id: "acme", tenant_name: "Acme", role: "owner" }] };

describe("the shell", () => {
  it("names the tenant pages' links exactly, shows the email and Sign out, and hides operator links", async () => {
    const router = await renderShell(member, "/");
    expect(await screen.findByText("tenant page")).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/t/acme/overview");
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(within(nav).getAllByRole("link").map((a) => a.textContent)).toEqual(["Overview", "Collections", "API keys", "Members", "Backups", "Audit log", "Billing"]);
    expect(within(nav).getByRole("link", { name: "Members" })).toHaveAttribute("href", "/t/acme/members");
    expect(within(nav).getByRole("link", { name: "Overview" })).toHaveAttribute("aria-current", "page");
    expect(screen.getByText("ada@example.com")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Sign out" })).toBeInTheDocument();
    expect(screen.getByLabelText("Tenant")).toHaveValue("acme");
  });

  it("adds Platform, Tenants and Plans for an operator, and sends one to the Platform page", async () => {
    const router = await renderShell({ id: "u2", email: "op@example.com", platform_admin: true, memberships: [] }, "/");
    expect(await screen.findByText("admin page")).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/admin/platform");
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(within(nav).getAllByRole("link").map((a) => a.textContent)).toEqual(["Platform", "Tenants", "Plans"]);
  });

  it("sends an operator who is also a tenant's member to the Platform page, not the tenant", async () => {
    const router = await renderShell({ ...member, platform_admin: true }, "/");
    expect(await screen.findByText("admin page")).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/admin/platform");
  });

  it("tells a person without a tenant what to do", async () => {
    await renderShell({ id: "u3", email: "new@example.com", platform_admin: false, memberships: [] }, "/");
    expect(await screen.findByRole("heading", { name: "No tenant yet" })).toBeInTheDocument();
  });
});
