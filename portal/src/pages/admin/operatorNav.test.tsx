import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, within } from "@testing-library/react";
import { Layout } from "../../shell/Layout";
import { HttpStub, renderWithStub } from "../../test/pageHarness";
import { me, TENANT_ID } from "../../test/managementFixtures";

const page = { path: "/t/:tenantId/*", url: `/t/${TENANT_ID}/overview` };

async function navLinks(who: ReturnType<typeof me>) {
  new HttpStub().on("GET", "/v1/me", { json: who }).install();
  await renderWithStub(<Layout />, page);
  const nav = await screen.findByRole("navigation", { name: "Main" });
  // The header shows the email once GET /v1/me answered: only then is the absence of a link meaningful.
  await screen.findByText(who.email);
  return within(nav)
    .getAllByRole("link")
    .map((l) => [l.textContent, l.getAttribute("href")]);
}

afterEach(() => vi.unstubAllGlobals());

describe("the operator-only navigation", () => {
  it("shows Platform, Tenants and Plans to a platform_admin", async () => {
    expect(await navLinks(me("owner", true))).toEqual([
      ["Overview", `/t/${TENANT_ID}/overview`],
      ["Collections", `/t/${TENANT_ID}/collections`],
      ["API keys", `/t/${TENANT_ID}/api-keys`],
      ["Members", `/t/${TENANT_ID}/members`],
      ["Backups", `/t/${TENANT_ID}/backups`],
      ["Audit log", `/t/${TENANT_ID}/audit`],
      ["Billing", `/t/${TENANT_ID}/billing`],
      ["Platform", "/admin/platform"],
      ["Tenants", "/admin/tenants"],
      ["Plans", "/admin/plans"],
    ]);
  });

  it.each(["owner", "admin", "developer", "viewer"])("hides them from a tenant's %s", async (role) => {
    const links = await navLinks(me(role, false));
    expect(links.map(([name]) => name)).toEqual(["Overview", "Collections", "API keys", "Members", "Backups", "Audit log", "Billing"]);
  });
});
