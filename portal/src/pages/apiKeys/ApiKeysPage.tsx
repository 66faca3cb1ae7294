import { useState } from "react";
import { useTenantId } from "../../shell/useTenantId";
import { PageState } from "../../components/PageState";
import { DataTable, type Column } from "../../components/DataTable";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ShownOnceDialog } from "../shared/ShownOnceDialog";
import { formatTime } from "../shared/formatTime";
import { CreateApiKeyForm } from "./CreateApiKeyForm";
import { RotateDialog } from "./RotateDialog";
import { describeScope, keyPrefix } from "./apiKeyForm";
import { keyStatus, useApiKeyActions, useApiKeys, type ApiKeyInfo } from "./apiKeyQueries";
import { TenantAdminOnly } from "../shared/TenantAdminOnly";
import "../shared/managementPages.css";

type Dialog =
  | { kind: "secret"; title: string; key: string; name: string }
  | { kind: "rotate"; key: ApiKeyInfo }
  | { kind: "revoke"; key: ApiKeyInfo }
  | null;

/**
 * `/t/:tenantId/api-keys`: the tenant's keys (prefix, role, scope, created, expiry), create, rotate and revoke.
 * A new or rotated secret is shown once in a dialog and then forgotten. The API records no "last used" time, so
 * the list has no such column.
 */
export function ApiKeysPage(props: { now?: () => Date }) {
  return (
    <TenantAdminOnly title="API keys" what="API keys">
      <ApiKeysPageContent {...props} />
    </TenantAdminOnly>
  );
}

function ApiKeysPageContent({ now = () => new Date() }: { now?: () => Date }) {
  const tenantId = useTenantId();
  const keys = useApiKeys(tenantId);
  const { create, rotate, revoke } = useApiKeyActions(tenantId);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [showRevoked, setShowRevoked] = useState(false);
  const [status, setStatus] = useState("");

  const all = keys.data?.api_keys ?? [];
  const rows = showRevoked ? all : all.filter((k) => keyStatus(k, now()) !== "revoked");
  const columns: Column<ApiKeyInfo>[] = [
    { header: "Name", cell: (k) => k.name },
    { header: "Prefix", cell: (k) => <code>{keyPrefix(k.id)}</code> },
    { header: "Role", cell: (k) => k.role },
    { header: "Collections", cell: (k) => describeScope(k.collections) },
    { header: "Created", cell: (k) => formatTime(k.created_at) },
    { header: "Expires", cell: (k) => (k.expires_at ? formatTime(k.expires_at) : "Never") },
    // Reported by the gateway in batches, to the minute: it can lag a use by one report interval.
    { header: "Last used", cell: (k) => (k.last_used_at ? formatTime(k.last_used_at) : "never") },
    { header: "Status", cell: (k) => statusText(k, now()) },
    {
      header: "Actions",
      cell: (k) =>
        keyStatus(k, now()) === "revoked" ? null : (
          <div className="row-actions">
            <button type="button" onClick={() => setDialog({ kind: "rotate", key: k })}>
              Rotate
            </button>
            <button type="button" className="danger" onClick={() => setDialog({ kind: "revoke", key: k })}>
              Revoke
            </button>
          </div>
        ),
    },
  ];

  return (
    <section>
      <h1>API keys</h1>
      <CreateApiKeyForm
        tenantId={tenantId}
        now={now}
        onCreate={async (body) => {
          const created = await create(body);
          if (created.key)
            setDialog({ kind: "secret", title: "API key created", key: created.key, name: created.name });
        }}
      />
      <h2>Keys</h2>
      <div className="toolbar">
        <label>
          <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} /> Show
          revoked keys
        </label>
        <span role="status" aria-live="polite" className="muted">
          {status}
        </span>
      </div>
      <PageState
        loading={keys.isPending}
        label="Loading API keys"
        error={keys.error}
        empty={rows.length === 0}
        emptyMessage={<p>No API keys yet. Create one above to call the data API.</p>}
      >
        <DataTable caption="API keys" columns={columns} rows={rows} rowKey={(k) => k.id} />
      </PageState>

      {dialog?.kind === "secret" && (
        <ShownOnceDialog
          title={dialog.title}
          label={`Secret of "${dialog.name}"`}
          value={dialog.key}
          onClose={() => setDialog(null)}
        >
          <p className="muted">
            Send it as <code>Authorization: Bearer &lt;key&gt;</code> or <code>Api-Key: &lt;key&gt;</code>.
          </p>
        </ShownOnceDialog>
      )}
      {dialog?.kind === "rotate" && (
        <RotateDialog
          keyName={dialog.key.name}
          onCancel={() => setDialog(null)}
          onRotate={async (graceSeconds) => {
            const rotated = await rotate(dialog.key.id, graceSeconds);
            setStatus(`Key "${rotated.name}" rotated.`);
            setDialog(
              rotated.key ? { kind: "secret", title: "API key rotated", key: rotated.key, name: rotated.name } : null,
            );
          }}
        />
      )}
      {dialog?.kind === "revoke" && (
        <ConfirmDialog
          title="Revoke API key"
          confirmLabel="Revoke key"
          onCancel={() => setDialog(null)}
          onConfirm={async () => {
            await revoke.mutateAsync(dialog.key.id);
            setStatus(`Key "${dialog.key.name}" revoked.`);
            setDialog(null);
          }}
        >
          <p>
            Requests with <strong>{dialog.key.name}</strong> (<code>{keyPrefix(dialog.key.id)}</code>) stop working
            within about a second. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function statusText(key: ApiKeyInfo, now: Date): string {
  const status = keyStatus(key, now);
  if (status === "revoked") return `Revoked ${formatTime(key.revoked_at)}`;
  if (status === "expired") return "Expired";
  if (key.previous_secret_expires_at && new Date(key.previous_secret_expires_at).getTime() > now.getTime())
    return `Active; old secret valid until ${formatTime(key.previous_secret_expires_at)}`;
  return "Active";
}
