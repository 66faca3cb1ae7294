import { Link } from "react-router";
import { useTenantId } from "../../shell/useTenantId";
import { useCollections, type CollectionInfo } from "../../api/collections";
import { PageState } from "../../components/PageState";
import { DataTable, type Column } from "../../components/DataTable";

/** The tenant's collections. */
export function CollectionsPage() {
  const tenantId = useTenantId();
  const collections = useCollections(tenantId);
  const columns: Column<CollectionInfo>[] = [
    {
      header: "Name",
      cell: (c) => <Link to={`/t/${encodeURIComponent(tenantId)}/collections/${encodeURIComponent(c.name)}`}>{c.name}</Link>,
    },
    { header: "Dimension", cell: (c) => c.dimension, numeric: true },
    { header: "Metric", cell: (c) => c.metric },
    { header: "Points", cell: (c) => c.count?.toLocaleString(), numeric: true },
    { header: "Index", cell: (c) => c.index.type ?? "hnsw" },
  ];
  const rows = collections.data?.collections ?? [];
  return (
    <section>
      <h1>Collections</h1>
      <PageState
        loading={collections.isPending}
        label="Loading collections"
        error={collections.error}
        empty={rows.length === 0}
        emptyMessage={<p>No collections yet.</p>}
      >
        <DataTable caption="Collections" columns={columns} rows={rows} rowKey={(c) => c.name} />
      </PageState>
    </section>
  );
}
