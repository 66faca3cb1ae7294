import { useParams } from "react-router";
import { useTenantId } from "../../shell/useTenantId";
import { useCollection } from "../../api/collections";
import { PageState } from "../../components/PageState";

/** One collection: count, size and index settings. */
export function CollectionDetailPage() {
  const tenantId = useTenantId();
  const name = useParams().name ?? "";
  const collection = useCollection(tenantId, name);
  return (
    <section>
      <h1>{name}</h1>
      <PageState loading={collection.isPending} label="Loading the collection" error={collection.error}>
        {collection.data && (
          <dl className="facts">
            <dt>Points</dt>
            <dd>{collection.data.count?.toLocaleString()}</dd>
            <dt>Dimension</dt>
            <dd>{collection.data.dimension}</dd>
            <dt>Metric</dt>
            <dd>{collection.data.metric}</dd>
          </dl>
        )}
      </PageState>
    </section>
  );
}
