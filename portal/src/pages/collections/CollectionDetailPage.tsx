import { useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { useTenantId } from "../../shell/useTenantId";
import { useCollection } from "../../api/collections";
import { useApi } from "../../api/ApiContext";
import { unwrap } from "../../api/client";
import { canManageData, roleIn, useMe } from "../../api/me";
import { PageState } from "../../components/PageState";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Tabs } from "../../components/Tabs";
import { PointBrowser } from "./PointBrowser";
import { SearchPlayground } from "./SearchPlayground";
import { formatBytes } from "../shared/formatBytes";

const tabs = [
  { key: "points", label: "Points" },
  { key: "search", label: "Search" },
] as const;
type TabKey = (typeof tabs)[number]["key"];

/** One collection: count, size and settings; the point browser and the search playground; delete. */
export function CollectionDetailPage() {
  const tenantId = useTenantId();
  const name = useParams().name ?? "";
  const api = useApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = useMe();
  const collection = useCollection(tenantId, name);
  const [params, setParams] = useSearchParams();
  const [deleting, setDeleting] = useState(false);
  const tab: TabKey = params.get("tab") === "search" ? "search" : "points";
  const mayDelete = canManageData(roleIn(me.data, tenantId));
  const c = collection.data;

  async function remove() {
    await unwrap(
      api.DELETE("/v1/tenants/{tenant_id}/collections/{name}", { params: { path: { tenant_id: tenantId, name } } }),
    );
    queryClient.removeQueries({ queryKey: ["collections", tenantId, name] });
    await queryClient.invalidateQueries({ queryKey: ["collections", tenantId] });
    await navigate(`/t/${encodeURIComponent(tenantId)}/collections`);
  }

  return (
    <section>
      <p>
        <Link to={`/t/${encodeURIComponent(tenantId)}/collections`}>Collections</Link> /
      </p>
      <div className="toolbar">
        <h1>{name}</h1>
        {mayDelete && c && (
          <button type="button" className="danger" onClick={() => setDeleting(true)}>
            Delete collection
          </button>
        )}
      </div>
      <PageState loading={collection.isPending} label="Loading the collection" error={collection.error}>
        {c && (
          <>
            <dl className="facts">
              <dt>Points</dt>
              <dd>{(c.count ?? 0).toLocaleString("en")}</dd>
              <dt>Size on disk</dt>
              <dd>{formatBytes(c.bytes_on_disk)}</dd>
              <dt>Dimension</dt>
              <dd>{c.dimension}</dd>
              <dt>Metric</dt>
              <dd>{c.metric}</dd>
              <dt>Index</dt>
              <dd>
                {c.index.type === "flat"
                  ? "flat (exact)"
                  : `hnsw, m ${c.index.m}, ef_construction ${c.index.ef_construction}, ef ${c.index.ef}`}
              </dd>
              <dt>Quantization</dt>
              <dd>{c.quantization}</dd>
              <dt>Schema</dt>
              <dd>{c.schema ? <code>{JSON.stringify(c.schema)}</code> : "none"}</dd>
              <dt>Status</dt>
              <dd>{c.status === "failed" ? `failed: ${c.error ?? "storage damaged"}` : c.status}</dd>
              {c.created_at && (
                <>
                  <dt>Created</dt>
                  <dd>{new Date(c.created_at).toLocaleString()}</dd>
                </>
              )}
            </dl>
            <Tabs
              label="Collection tools"
              tabs={tabs}
              selected={tab}
              idPrefix="collection"
              onSelect={(key) => setParams({ tab: key }, { replace: true })}
            />
            <div role="tabpanel" id={`collection-panel-${tab}`} aria-labelledby={`collection-tab-${tab}`}>
              <h2 className="visually-hidden">{tab === "points" ? "Point browser" : "Search playground"}</h2>
              {tab === "points" ? (
                <PointBrowser tenantId={tenantId} collection={name} />
              ) : (
                <SearchPlayground tenantId={tenantId} collection={name} dimension={c.dimension} />
              )}
            </div>
          </>
        )}
      </PageState>
      {deleting && (
        <ConfirmDialog
          title={`Delete collection ${name}?`}
          confirmLabel="Delete collection"
          typeToConfirm={name}
          onConfirm={remove}
          onCancel={() => setDeleting(false)}
        >
          <p>
            This deletes the collection, its {(c?.count ?? 0).toLocaleString("en")} points and its files. It cannot be
            undone.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
