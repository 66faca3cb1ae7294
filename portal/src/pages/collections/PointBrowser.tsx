import { useState, type FormEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import { useApi } from "../../api/ApiContext";
import { unwrap } from "../../api/client";
import type { ScrollBody } from "../../api/collections";
import { ProblemMessage } from "../../components/ProblemMessage";
import { FilterEditor } from "./FilterEditor";
import { PointCard } from "./PointCard";
import { parseFilter } from "./filterText";

/** The "Points" tab: scroll the collection in id order with an optional filter, a page at a time. */
export function PointBrowser({ tenantId, collection }: { tenantId: string; collection: string }) {
  const api = useApi();
  const [filterText, setFilterText] = useState("");
  const [limit, setLimit] = useState(20);
  const [includeVector, setIncludeVector] = useState(false);
  const [page, setPage] = useState(1);
  // The next page continues the request that made this one, whatever the inputs say now.
  const [last, setLast] = useState<ScrollBody | null>(null);

  const scroll = useMutation({
    mutationFn: (body: ScrollBody) =>
      unwrap(
        api.POST("/v1/tenants/{tenant_id}/collections/{name}/scroll", {
          params: { path: { tenant_id: tenantId, name: collection } },
          body,
        }),
      ),
  });

  const parsed = parseFilter(filterText);
  const limitValid = Number.isInteger(limit) && limit >= 1 && limit <= 10000;

  function run(body: ScrollBody, nextPage: number) {
    setLast(body);
    setPage(nextPage);
    scroll.mutate(body);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!parsed.ok || !limitValid) return;
    run({ filter: parsed.filter, limit, cursor: null, include_vector: includeVector, include_metadata: true }, 1);
  }

  const points = scroll.data?.points ?? [];
  const nextCursor = scroll.data?.next_cursor ?? null;

  return (
    <div>
      <form onSubmit={submit} aria-label="Scroll points">
        <FilterEditor value={filterText} onChange={setFilterText} />
        <div className="row">
          <label className="field">
            <span>Page size</span>
            <input
              type="number"
              min={1}
              max={10000}
              value={Number.isNaN(limit) ? "" : limit}
              onChange={(e) => setLimit(e.target.valueAsNumber)}
              aria-invalid={limitValid ? undefined : true}
            />
          </label>
          <label className="check">
            <input type="checkbox" checked={includeVector} onChange={(e) => setIncludeVector(e.target.checked)} /> Include vectors
          </label>
          <button type="submit" className="primary" disabled={!parsed.ok || !limitValid || scroll.isPending}>
            Scroll
          </button>
        </div>
        {!limitValid && <p className="field-error">Page size must be a whole number from 1 to 10,000.</p>}
      </form>
      <ProblemMessage error={scroll.error} />
      {scroll.isPending && (
        <p className="muted" role="status">
          Loading points…
        </p>
      )}
      {scroll.isSuccess && (
        <>
          <p role="status">
            Page {page}: {points.length === 0 ? "no points match." : `${points.length} point${points.length === 1 ? "" : "s"}.`}
          </p>
          <ul className="points">
            {points.map((p) => (
              <PointCard key={p.id} id={p.id} metadata={p.metadata} vector={p.vector} />
            ))}
          </ul>
          <div className="actions">
            {page > 1 && (
              <button type="button" onClick={() => last && run({ ...last, cursor: null }, 1)}>
                First page
              </button>
            )}
            <button type="button" disabled={!nextCursor || scroll.isPending} onClick={() => last && run({ ...last, cursor: nextCursor }, page + 1)}>
              Next page
            </button>
          </div>
        </>
      )}
    </div>
  );
}
