import { useState } from "react";
import { useNavigate } from "react-router";
import { useTenantId } from "../../shell/useTenantId";
import { roleIn, useMe } from "../../api/me";
import { PageState } from "../../components/PageState";
import { DataTable, type Column } from "../../components/DataTable";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ProblemMessage } from "../../components/ProblemMessage";
import { ShownOnceDialog } from "../shared/ShownOnceDialog";
import { formatTime } from "../shared/formatTime";
import { InviteForm } from "./InviteForm";
import { useMemberActions, useMembers, type InvitationCreated, type MemberInfo } from "./memberQueries";
import {
  isLastOwner,
  isSelf,
  mayChangeRole,
  mayManageMembers,
  mayRemove,
  roleChoices,
  type Actor,
  type MemberRole,
} from "./memberRules";
import "../shared/managementPages.css";

type Dialog =
  | { kind: "link"; invitation: InvitationCreated }
  | { kind: "remove"; member: MemberInfo }
  | { kind: "leave"; member: MemberInfo }
  | null;

/** `/t/:tenantId/members`: who belongs to the tenant, with their role; invite, change roles, remove, leave. */
export function MembersPage() {
  const tenantId = useTenantId();
  const navigate = useNavigate();
  const me = useMe();
  const members = useMembers(tenantId);
  const { invite, changeRole, remove, leave } = useMemberActions(tenantId);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [status, setStatus] = useState("");
  const [rowFailure, setRowFailure] = useState<string | null>(null);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState<string | null>(null);

  const actor: Actor = {
    userId: me.data?.id,
    role: roleIn(me.data, tenantId) as MemberRole | undefined,
    platformAdmin: me.data?.platform_admin ?? false,
  };
  const rows = members.data?.members ?? [];

  // The select only chooses; "Save" sends. Arrow keys on a closed select change its value (and fire change) at each
  // press, so saving on change would send one request per role passed on the way.
  async function saveRole(member: MemberInfo) {
    const role = drafts[member.user_id];
    if (role === undefined || role === member.role) return;
    setRowFailure(null);
    setSaving(member.user_id);
    try {
      await changeRole.mutateAsync({ userId: member.user_id, role: role as MemberRole });
      setDrafts(({ [member.user_id]: _, ...rest }) => rest);
      setStatus(`${member.email} is now ${role}.`);
    } catch (error) {
      setRowFailure(
        `The role of ${member.email} was not changed: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      setSaving(null);
    }
  }

  const columns: Column<MemberInfo>[] = [
    { header: "Email", cell: (m) => (isSelf(actor, m) ? `${m.email} (you)` : m.email) },
    {
      header: "Role",
      cell: (m) =>
        mayChangeRole(actor, m) ? (
          <div className="row-actions">
            <select
              aria-label={`Role of ${m.email}`}
              value={drafts[m.user_id] ?? m.role}
              onChange={(e) => setDrafts((d) => ({ ...d, [m.user_id]: e.target.value }))}
            >
              {roleChoices(actor, m).map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
            <button
              type="button"
              onClick={() => void saveRole(m)}
              disabled={saving === m.user_id || (drafts[m.user_id] ?? m.role) === m.role}
            >
              Save
            </button>
          </div>
        ) : (
          m.role
        ),
    },
    { header: "Since", cell: (m) => formatTime(m.created_at) },
    {
      header: "Actions",
      cell: (m) =>
        isSelf(actor, m) ? (
          <button type="button" onClick={() => setDialog({ kind: "leave", member: m })}>
            Leave
          </button>
        ) : mayRemove(actor, m) ? (
          <button type="button" className="danger" onClick={() => setDialog({ kind: "remove", member: m })}>
            Remove
          </button>
        ) : null,
    },
  ];

  return (
    <section>
      <h1>Members</h1>
      {me.data && mayManageMembers(actor) && (
        <InviteForm
          actor={actor}
          onInvite={async (body) => {
            const invitation = await invite(body);
            setDialog({ kind: "link", invitation });
          }}
        />
      )}
      <h2>People</h2>
      <p role="status" aria-live="polite" className="muted">
        {status}
      </p>
      <ProblemMessage error={rowFailure} />
      <PageState
        loading={members.isPending}
        label="Loading members"
        error={members.error}
        empty={rows.length === 0}
        emptyMessage={<p>This tenant has no members.</p>}
      >
        <DataTable caption="Members" columns={columns} rows={rows} rowKey={(m) => m.user_id} />
      </PageState>

      {dialog?.kind === "link" && (
        <ShownOnceDialog
          title="Invitation link"
          label="Invitation link"
          value={dialog.invitation.invite_url}
          onClose={() => setDialog(null)}
        >
          <p>
            Whoever opens it{" "}
            {dialog.invitation.email ? (
              <>
                signed in as <strong>{dialog.invitation.email}</strong>{" "}
              </>
            ) : null}
            joins as <strong>{dialog.invitation.role}</strong>. It works once, until{" "}
            {formatTime(dialog.invitation.expires_at)}.
          </p>
        </ShownOnceDialog>
      )}
      {dialog?.kind === "remove" && (
        <ConfirmDialog
          title="Remove member"
          confirmLabel="Remove member"
          onCancel={() => setDialog(null)}
          onConfirm={async () => {
            await remove.mutateAsync(dialog.member.user_id);
            setStatus(`${dialog.member.email} was removed.`);
            setDialog(null);
          }}
        >
          <p>
            <strong>{dialog.member.email}</strong> loses access to this tenant at once.
          </p>
        </ConfirmDialog>
      )}
      {dialog?.kind === "leave" && (
        <ConfirmDialog
          title="Leave tenant"
          confirmLabel="Leave tenant"
          onCancel={() => setDialog(null)}
          onConfirm={async () => {
            await leave.mutateAsync(dialog.member.user_id);
            setDialog(null);
            void navigate("/");
          }}
        >
          <p>You lose access to this tenant; an owner or admin can invite you again.</p>
          {isLastOwner(rows, dialog.member) && (
            <p className="notice">You are its only owner: make another member owner first, or the tenant refuses.</p>
          )}
        </ConfirmDialog>
      )}
    </section>
  );
}
