import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { useTenantId } from "../../shell/useTenantId";
import { useCollections, type CollectionInfo } from "../../api/collections";
import { canManageData, roleIn, useMe } from "../../api/me";
import { PageState } from "../../components/PageState";
import { DataTable, type Column } from "../../components/DataTable";
import { CreateCollectionForm } from "./CreateCollectionForm";
import { collectionPath } from "./paths";

/** The tenant's collections, and creating one. */
export function CollectionsPage() {
  const tenantId = useTenantId();
  const navigate = useNavigate();
  const me = useMe();
  const role = roleIn(me.data, tenantId);
  // The member routes answer only members (an operator looking in gets 404): say so instead of asking.
  const notMember = me.isSuccess && role === undefined;
  const collections = useCollections(tenantId, me.isSuccess && !notMember);
  const [creating, setCreating] = useState(false);
  const mayCreate = canManageData(role);
  const columns: Column<CollectionInfo>[] = [
    { header: "Name", cell: (c) => <Link to={collectionPath(tenantId, c.name)}>{c.name}</Link> },
    { header: "Dimension", cell: (c) => c.dimension, numeric: true },
    { header: "Metric", cell: (c) => c.metric },
    { header: "Points", cell: (c) => (c.count ?? 0).toLocaleString("en"), numeric: true },
    { header: "Index", cell: (c) => (c.quantization === "int8" ? `${c.index.type ?? "hnsw"} + int8` : (c.index.type ?? "hnsw")) },
    { header: "Status", cell: (c) => c.status },
  ];
  const rows = collections.data?.collections ?? [];

  return (
    <section>
      <div className="toolbar">
        <h1>Collections</h1>
        {mayCreate && !creating && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            Create collection
          </button>
        )}
      </div>
      {creating && (
        <CreateCollectionForm
          tenantId={tenantId}
          onCancel={() => setCreating(false)}
          onCreated={(name) => void navigate(collectionPath(tenantId, name))}
        />
      )}
      <PageState
        error={notMember ? "Only the tenant's members see its collections; you are not a member of this tenant." : collections.error}
        loading={collections.isPending}
        label="Loading collections"
        empty={rows.length === 0}
        emptyMessage={<p>No collections yet.{mayCreate ? " Create one to store vectors." : ""}</p>}
      >
        <DataTable caption="Collections" columns={columns} rows={rows} rowKey={(c) => c.name} />
      </PageState>
    </section>
  );
}
