import { useId, useState } from "react";
import { useTenantId } from "../../shell/useTenantId";
import { canManage, roleIn, useMe } from "../../api/me";
import { PageState } from "../../components/PageState";
import { DataTable, type Column } from "../../components/DataTable";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ProblemMessage } from "../../components/ProblemMessage";
import { formatTime } from "../shared/formatTime";
import { formatBytes } from "../shared/formatBytes";
import { OperationStatus } from "./OperationStatus";
import { useBackupActions, useBackups, type BackupInfo, type RestoreRequest } from "./backupQueries";
import "../shared/managementPages.css";

type Dialog = { kind: "restore"; body: RestoreRequest; what: string } | { kind: "delete"; backup: BackupInfo } | null;

/** A `datetime-local` value (local time, no zone) as the RFC 3339 instant the API takes; undefined if not a time. */
export function instantOf(local: string): string | undefined {
  const when = new Date(local);
  return local === "" || Number.isNaN(when.getTime()) ? undefined : when.toISOString();
}

/**
 * `/t/:tenantId/backups`: the tenant's backups, newest first; owners and admins back up now, restore a backup or a
 * point in time (after confirming: the live data is replaced), and delete backups. The running operation's
 * progress is shown until it succeeds or fails.
 */
export function BackupsPage() {
  const tenantId = useTenantId();
  const me = useMe();
  const backups = useBackups(tenantId);
  const { backUp, restore, remove } = useBackupActions(tenantId);
  const [operationId, setOperationId] = useState<string>();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [at, setAt] = useState("");
  const atId = useId();
  const admin = canManage(roleIn(me.data, tenantId), me.data?.platform_admin);
  const rows = backups.data?.backups ?? [];

  async function backUpNow() {
    setFailure(null);
    try {
      setOperationId((await backUp.mutateAsync()).id);
    } catch (error) {
      setFailure(error);
    }
  }

  function askPointInTime() {
    const instant = instantOf(at);
    if (instant === undefined) {
      setFailure(new Error("Choose the date and time to restore to."));
      return;
    }
    setFailure(null);
    setDialog({ kind: "restore", body: { at: instant }, what: `every collection as it was at ${formatTime(instant)}` });
  }

  const columns: Column<BackupInfo>[] = [
    { header: "Taken", cell: (b) => formatTime(b.snapshot_at ?? b.created_at) },
    { header: "State", cell: (b) => b.state },
    { header: "Made by", cell: (b) => (b.scheduled ? "schedule" : "request") },
    { header: "Size", cell: (b) => (b.state === "completed" ? formatBytes(b.size_bytes) : "—") },
    { header: "Collections", cell: (b) => b.collections.map((c) => c.name).join(", ") || "—" },
  ];
  if (admin) {
    columns.push({
      header: "Actions",
      cell: (b) => (
        <div className="row-actions">
          {b.state === "completed" && (
            <button
              type="button"
              onClick={() =>
                setDialog({
                  kind: "restore",
                  body: { backup_id: b.id },
                  what: `the backup taken ${formatTime(b.snapshot_at ?? b.created_at)}`,
                })
              }
            >
              Restore
            </button>
          )}
          <button type="button" className="danger" onClick={() => setDialog({ kind: "delete", backup: b })}>
            Delete
          </button>
        </div>
      ),
    });
  }

  return (
    <section>
      <h1>Backups</h1>
      {admin && (
        <div className="actions">
          <button type="button" className="primary" onClick={() => void backUpNow()} disabled={backUp.isPending}>
            Back up now
          </button>
        </div>
      )}
      <ProblemMessage error={failure} />
      {operationId !== undefined && <OperationStatus tenantId={tenantId} operationId={operationId} />}
      {admin && (
        <form
          aria-label="Point-in-time restore"
          onSubmit={(e) => {
            e.preventDefault();
            askPointInTime();
          }}
        >
          <h2>Point-in-time restore</h2>
          <div className="row">
            <div className="field">
              <label htmlFor={atId}>Restore to</label>
              <input id={atId} type="datetime-local" step={1} value={at} onChange={(e) => setAt(e.target.value)} />
              <span className="hint">Your local time; within the plan&apos;s recovery window.</span>
            </div>
          </div>
          <div className="actions">
            <button type="submit">Restore to this time</button>
          </div>
        </form>
      )}
      <h2>Backups</h2>
      <PageState
        loading={backups.isPending}
        label="Loading backups"
        error={backups.error}
        empty={rows.length === 0}
        emptyMessage={<p>No backups yet.</p>}
      >
        <DataTable caption="Backups" columns={columns} rows={rows} rowKey={(b) => b.id} />
      </PageState>

      {dialog?.kind === "restore" && (
        <ConfirmDialog
          title="Restore"
          confirmLabel="Restore"
          typeToConfirm={tenantId}
          onCancel={() => setDialog(null)}
          onConfirm={async () => {
            const op = await restore.mutateAsync(dialog.body);
            setDialog(null);
            setOperationId(op.id);
          }}
        >
          <p>
            The live data is replaced by {dialog.what}. Writes made since then are lost. Type the tenant&apos;s id to
            confirm.
          </p>
        </ConfirmDialog>
      )}
      {dialog?.kind === "delete" && (
        <ConfirmDialog
          title="Delete backup"
          confirmLabel="Delete backup"
          onCancel={() => setDialog(null)}
          onConfirm={async () => {
            await remove.mutateAsync(dialog.backup.id);
            setDialog(null);
          }}
        >
          <p>The backup taken {formatTime(dialog.backup.snapshot_at ?? dialog.backup.created_at)} is deleted for good.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
