import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider, useLocation } from "react-router";
import { describe, expect, it } from "vitest";
import { switchTenantPath, TenantSwitcher } from "./TenantSwitcher";
import { inviteToken } from "../pages/invite/InvitePage";

const memberships = [
  { tenant_id: "acme", tenant_name: "Acme", role: "owner" },
  { tenant_id: "globex", tenant_name: "Globex", role: "viewer" },
];

function Where() {
  return <p data-testid="where">{useLocation().pathname}</p>;
}

describe("TenantSwitcher", () => {
  it("keeps the section when switching tenant", () => {
    expect(switchTenantPath("/t/acme/members", "globex")).toBe("/t/globex/members");
    expect(switchTenantPath("/t/acme/collections/books", "globex")).toBe("/t/globex/collections");
    expect(switchTenantPath("/admin/tenants", "globex")).toBe("/t/globex/overview");
  });

  it("is a select labelled Tenant that moves to the chosen tenant", async () => {
    const user = userEvent.setup();
    const element = (
      <>
        <TenantSwitcher memberships={memberships} current="acme" />
        <Where />
      </>
    );
    const router = createMemoryRouter(
      [
        { path: "/t/:tenantId/*", element },
        { path: "*", element },
      ],
      { initialEntries: ["/t/acme/audit"] },
    );
    render(<RouterProvider router={router} />);
    const select = screen.getByLabelText("Tenant");
    expect(select).toHaveValue("acme");
    await user.selectOptions(select, "globex");
    expect(screen.getByTestId("where")).toHaveTextContent("/t/globex/audit");
  });
});

describe("inviteToken", () => {
  it("reads the token from the fragment", () => {
    expect(inviteToken("#token=abc_DEF-1")).toBe("abc_DEF-1");
    expect(inviteToken("#other=1")).toBeUndefined();
    expect(inviteToken("")).toBeUndefined();
  });
});
