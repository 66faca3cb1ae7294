/**
 * Who may do what on the Members page. The control plane decides (MemberService, MemberActor); these rules only
 * decide which controls the page offers, so a person is not handed a select whose every choice is a 403.
 */

export const MEMBER_ROLES = ["owner", "admin", "developer", "viewer"] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** The person acting: their role in this tenant (none for an operator who is not a member). */
export interface Actor {
  userId: string | undefined;
  role: MemberRole | undefined;
  platformAdmin: boolean;
}

export interface MemberRow {
  user_id: string;
  email: string;
  role: string;
}

function isOwnerLike(actor: Actor): boolean {
  return actor.platformAdmin || actor.role === "owner";
}

/** Owners, admins and operators manage members (MemberActor.MayManageMembers). */
export function mayManageMembers(actor: Actor): boolean {
  return isOwnerLike(actor) || actor.role === "admin";
}

/** The roles the actor may give, by invitation or by a change: only an owner (or operator) gives `owner`. */
export function assignableRoles(actor: Actor): MemberRole[] {
  if (!mayManageMembers(actor)) return [];
  return isOwnerLike(actor) ? [...MEMBER_ROLES] : MEMBER_ROLES.filter((r) => r !== "owner");
}

/** Whether the actor may change this member's role at all (an admin neither makes nor unmakes an owner). */
export function mayChangeRole(actor: Actor, member: MemberRow): boolean {
  if (!mayManageMembers(actor)) return false;
  return isOwnerLike(actor) || member.role !== "owner";
}

/** The choices of a member's role select: the member's current role is always shown, even when it is not one the actor could give. */
export function roleChoices(actor: Actor, member: MemberRow): string[] {
  const roles: string[] = assignableRoles(actor);
  return roles.includes(member.role) ? roles : [member.role, ...roles];
}

/** Whether the row offers "Remove" (others) — leaving yourself is "Leave". */
export function mayRemove(actor: Actor, member: MemberRow): boolean {
  if (member.user_id === actor.userId) return false;
  if (!mayManageMembers(actor)) return false;
  return isOwnerLike(actor) || member.role !== "owner";
}

/** Whether the row is the actor's own (offers "Leave"). */
export function isSelf(actor: Actor, member: MemberRow): boolean {
  return actor.userId !== undefined && member.user_id === actor.userId;
}

/** The only owner cannot leave, be demoted or be removed: a tenant always keeps an owner. */
export function isLastOwner(members: readonly MemberRow[], member: MemberRow): boolean {
  return member.role === "owner" && members.filter((m) => m.role === "owner").length === 1;
}

export interface InviteFormValues {
  email: string;
  role: string;
}

export interface InviteBody {
  role: MemberRole;
  email?: string;
}

// The shape the control plane accepts (EmailAddress): something@something.something, no spaces; it decides the rest.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks the invitation form and builds the body of `POST /v1/tenants/{id}/invitations`. */
export function checkInviteForm(
  values: InviteFormValues,
  actor: Actor,
): { ok: true; body: InviteBody } | { ok: false; errors: Partial<Record<"email" | "role", string>> } {
  const errors: Partial<Record<"email" | "role", string>> = {};
  const email = values.email.trim();
  if (email !== "" && !EMAIL_SHAPE.test(email))
    errors.email = "Email must look like name@example.com, or be left empty.";
  const allowed = assignableRoles(actor);
  if (!(allowed as string[]).includes(values.role))
    errors.role = values.role === "owner" ? "Only an owner can invite an owner." : "Choose a role.";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const body: InviteBody = { role: values.role as MemberRole };
  if (email !== "") body.email = email;
  return { ok: true, body };
}
