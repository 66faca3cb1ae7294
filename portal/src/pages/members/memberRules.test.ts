import { describe, expect, it } from "vitest";
import {
  assignableRoles,
  checkInviteForm,
  isLastOwner,
  mayChangeRole,
  mayManageMembers,
  mayRemove,
  roleChoices,
  type Actor,
  type MemberRow,
} from "./memberRules";

const me = "u-me";
const actor = (role: Actor["role"], platformAdmin = false): Actor => ({ userId: me, role, platformAdmin });
const owner: MemberRow = { user_id: "u-owner", email: "o@example.com", role: "owner" };
const dev: MemberRow = { user_id: "u-dev", email: "d@example.com", role: "developer" };
const self = (role: string): MemberRow => ({ user_id: me, email: "me@example.com", role });

describe("role select rules", () => {
  it("gives owners and operators every role, admins all but owner, others none", () => {
    expect(assignableRoles(actor("owner"))).toEqual(["owner", "admin", "developer", "viewer"]);
    expect(assignableRoles(actor(undefined, true))).toEqual(["owner", "admin", "developer", "viewer"]);
    expect(assignableRoles(actor("admin"))).toEqual(["admin", "developer", "viewer"]);
    expect(assignableRoles(actor("developer"))).toEqual([]);
    expect(assignableRoles(actor("viewer"))).toEqual([]);
  });

  it("lets an admin change a developer but not an owner", () => {
    expect(mayChangeRole(actor("admin"), dev)).toBe(true);
    expect(mayChangeRole(actor("admin"), owner)).toBe(false);
    expect(mayChangeRole(actor("owner"), owner)).toBe(true);
    expect(mayChangeRole(actor("viewer"), dev)).toBe(false);
  });

  it("keeps the member's current role among the choices", () => {
    expect(roleChoices(actor("admin"), owner)).toEqual(["owner", "admin", "developer", "viewer"]);
    expect(roleChoices(actor("admin"), dev)).toEqual(["admin", "developer", "viewer"]);
  });

  it("offers Remove for others only, never for yourself (that is Leave)", () => {
    expect(mayRemove(actor("owner"), dev)).toBe(true);
    expect(mayRemove(actor("owner"), self("owner"))).toBe(false);
    expect(mayRemove(actor("admin"), owner)).toBe(false);
    expect(mayRemove(actor("developer"), dev)).toBe(false);
    expect(mayManageMembers(actor("developer"))).toBe(false);
  });

  it("knows the last owner", () => {
    expect(isLastOwner([owner, dev], owner)).toBe(true);
    expect(isLastOwner([owner, self("owner"), dev], owner)).toBe(false);
    expect(isLastOwner([owner, dev], dev)).toBe(false);
  });
});

describe("checkInviteForm", () => {
  it("sends no email when it is left empty", () => {
    expect(checkInviteForm({ email: " ", role: "viewer" }, actor("admin"))).toEqual({
      ok: true,
      body: { role: "viewer" },
    });
  });

  it("sends a trimmed email", () => {
    expect(checkInviteForm({ email: " grace@example.com ", role: "developer" }, actor("owner"))).toEqual({
      ok: true,
      body: { role: "developer", email: "grace@example.com" },
    });
  });

  it.each(["grace", "grace@", "@example.com", "a b@example.com", "grace@example"])("refuses the email %j", (email) => {
    const result = checkInviteForm({ email, role: "viewer" }, actor("owner"));
    expect(!result.ok && result.errors.email).toBe("Email must look like name@example.com, or be left empty.");
  });

  it("refuses an owner invitation from an admin, in words", () => {
    expect(checkInviteForm({ email: "", role: "owner" }, actor("admin"))).toEqual({
      ok: false,
      errors: { role: "Only an owner can invite an owner." },
    });
    expect(checkInviteForm({ email: "", role: "owner" }, actor("owner")).ok).toBe(true);
  });

  it("refuses an unknown role", () => {
    expect(checkInviteForm({ email: "", role: "" }, actor("owner"))).toEqual({
      ok: false,
      errors: { role: "Choose a role." },
    });
  });
});
