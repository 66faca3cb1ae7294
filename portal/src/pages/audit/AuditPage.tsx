import { useId, useState, type FormEvent } from "react";
import { useTenantId } from "../../shell/useTenantId";
import { PageState } from "../../components/PageState";
import { DataTable, type Column } from "../../components/DataTable";
import { ProblemMessage } from "../../components/ProblemMessage";
import { FieldError } from "../shared/FieldError";
import { formatTime } from "../shared/formatTime";
import {
  auditRange,
  EMPTY_AUDIT_FILTER,
  filtersClientSide,
  matchesAudit,
  type AuditFilterValues,
  type AuditRange,
} from "./auditFilter";
import { exportFileName, filterNdjson, NDJSON, saveTextFile } from "./auditExport";
import { useAuditExport, useAuditPages, type AuditEvent } from "./auditQueries";
import { TenantAdminOnly } from "../shared/TenantAdminOnly";
import { AuditSinkStatus } from "./AuditSinkStatus";
import "../shared/managementPages.css";

const columns: Column<AuditEvent>[] = [
  { header: "Time", cell: (e) => formatTime(e.time) },
  { header: "Actor", cell: (e) => <code>{e.actor}</code> },
  { header: "Action", cell: (e) => e.action },
  { header: "Target", cell: (e) => `${e.target_type} ${e.target_id}` },
  {
    header: "Changes",
    cell: (e) =>
      e.before === undefined && e.after === undefined ? null : (
        <details className="audit-changes">
          <summary>Before and after</summary>
          <pre>{JSON.stringify({ before: e.before ?? null, after: e.after ?? null }, null, 2)}</pre>
        </details>
      ),
  },
  { header: "Request", cell: (e) => (e.request_id ? <code>{e.request_id}</code> : "—") },
];

/** A row's key: ids are per source (the control plane's events and the engine's log count separately), so two rows can share one. */
function auditRowKey(e: AuditEvent): string {
  return `${e.source ?? "control"}:${e.id}`;
}

/**
 * `/t/:tenantId/audit`: the tenant's audit events. The API filters by time (from, to) and pages with `next_cursor`;
 * actor and action are matched in the browser over the pages loaded, and the page says so. "Export" downloads the
 * range as NDJSON, keeping the lines that match actor and action.
 */
export function AuditPage(props: AuditPageProps) {
  return (
    <TenantAdminOnly title="Audit log" what="audit log">
      <AuditPageContent {...props} />
    </TenantAdminOnly>
  );
}

interface AuditPageProps {
  now?: () => Date;
  /** Where the export goes: a download through a Blob URL (tests pass their own sink; jsdom has no downloads). */
  save?: (text: string, fileName: string, type: string) => void;
}

function AuditPageContent({ now = () => new Date(), save = saveTextFile }: AuditPageProps) {
  const tenantId = useTenantId();
  const ids = { actor: useId(), action: useId(), from: useId(), to: useId() };
  const [draft, setDraft] = useState<AuditFilterValues>(EMPTY_AUDIT_FILTER);
  const [applied, setApplied] = useState<{ filter: AuditFilterValues; range: AuditRange }>({
    filter: EMPTY_AUDIT_FILTER,
    range: {},
  });
  const [rangeError, setRangeError] = useState<{ field: "from" | "to"; error: string } | null>(null);
  const [exportState, setExportState] = useState<{ busy: boolean; message: string; failure: unknown }>({
    busy: false,
    message: "",
    failure: null,
  });
  const pages = useAuditPages(tenantId, applied.range);
  const fetchExport = useAuditExport(tenantId);

  const loaded = pages.data?.pages.flatMap((p) => p.events ?? []) ?? [];
  const rows = loaded.filter((e) => matchesAudit(e, applied.filter));
  const clientSide = filtersClientSide(applied.filter);

  function apply(event: FormEvent) {
    event.preventDefault();
    const checked = auditRange(draft);
    if (!checked.ok) {
      setRangeError({ field: checked.field, error: checked.error });
      return;
    }
    setRangeError(null);
    setApplied({ filter: draft, range: checked.range });
  }

  async function exportNdjson() {
    setExportState({ busy: true, message: "", failure: null });
    try {
      const text = await fetchExport(applied.range);
      const kept = filterNdjson(text, applied.filter);
      const fileName = exportFileName(tenantId, applied.range, now());
      save(kept.text, fileName, NDJSON);
      setExportState({
        busy: false,
        message: `Exported ${kept.lines} event${kept.lines === 1 ? "" : "s"} to ${fileName}.`,
        failure: null,
      });
    } catch (failure) {
      setExportState({ busy: false, message: "", failure });
    }
  }

  const set = (field: keyof AuditFilterValues) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setDraft((d) => ({ ...d, [field]: e.target.value }));
  const err = (field: "from" | "to") => (rangeError?.field === field ? rangeError.error : undefined);

  return (
    <section>
      <h1>Audit log</h1>
      <form onSubmit={apply} noValidate aria-label="Filter the audit log">
        <div className="row">
          <div className="field">
            <label htmlFor={ids.actor}>Actor</label>
            <input
              id={ids.actor}
              value={draft.actor}
              onChange={set("actor")}
              placeholder="key:… or a user id"
              spellCheck={false}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.action}>Action</label>
            <input
              id={ids.action}
              value={draft.action}
              onChange={set("action")}
              placeholder="api_key.create"
              spellCheck={false}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.from}>From</label>
            <input
              id={ids.from}
              type="datetime-local"
              value={draft.from}
              onChange={set("from")}
              aria-invalid={!!err("from")}
              aria-describedby={err("from") ? `${ids.from}-error` : undefined}
            />
            <FieldError id={`${ids.from}-error`} message={err("from")} />
          </div>
          <div className="field">
            <label htmlFor={ids.to}>To</label>
            <input
              id={ids.to}
              type="datetime-local"
              value={draft.to}
              onChange={set("to")}
              aria-invalid={!!err("to")}
              aria-describedby={err("to") ? `${ids.to}-error` : undefined}
            />
            <FieldError id={`${ids.to}-error`} message={err("to")} />
          </div>
        </div>
        <div className="actions">
          <button type="submit" className="primary">
            Apply filter
          </button>
          <button type="button" onClick={() => void exportNdjson()} disabled={exportState.busy}>
            Export
          </button>
        </div>
      </form>
      <p role="status" aria-live="polite" className="muted">
        {exportState.busy ? "Exporting…" : exportState.message}
      </p>
      <ProblemMessage error={exportState.failure} prefix="Export failed:" />
      <p className="muted">
        Oldest first. The server filters by time;{" "}
        {clientSide
          ? `actor and action are matched in your browser over the ${loaded.length} events loaded so far, so load more to search further.`
          : "actor and action, when given, are matched in your browser over the events loaded."}
      </p>
      <PageState
        loading={pages.isPending}
        label="Loading audit events"
        error={pages.isFetchNextPageError ? null : pages.error}
        empty={rows.length === 0 && !pages.hasNextPage}
        emptyMessage={
          <p>
            {loaded.length === 0 ? "No audit events in this range." : "No loaded event matches the actor and action."}
          </p>
        }
      >
        <DataTable
          caption={`Audit events (${rows.length} shown of ${loaded.length} loaded)`}
          showCaption
          columns={columns}
          rows={rows}
          rowKey={auditRowKey}
        />
        {pages.hasNextPage && (
          <div className="actions">
            <button type="button" onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
              {pages.isFetchingNextPage ? "Loading…" : "Load more"}
            </button>
          </div>
        )}
        <ProblemMessage error={pages.isFetchNextPageError ? pages.error : null} />
      </PageState>
      <AuditSinkStatus tenantId={tenantId} />
    </section>
  );
}
