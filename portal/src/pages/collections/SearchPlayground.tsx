import { useState, type FormEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import { useApi } from "../../api/ApiContext";
import { unwrap } from "../../api/client";
import type { SearchBody } from "../../api/collections";
import { ProblemMessage } from "../../components/ProblemMessage";
import { CopyButton } from "../../components/CopyButton";
import { FilterEditor } from "./FilterEditor";
import { PointCard } from "./PointCard";
import { parseFilter, parseVector } from "./filterText";
import { buildCurl } from "./curl";

interface Props {
  tenantId: string;
  collection: string;
  dimension: number | undefined;
  /** The gateway's origin for the curl command (the portal's own). */
  origin?: string;
}

type Mode = "id" | "vector";

function inRange(value: number, min: number, max: number) {
  return Number.isInteger(value) && value >= min && value <= max;
}

/** The "Search" tab: query by a stored point's id or a pasted vector, with filter, top_k and ef; results with scores. */
export function SearchPlayground({ tenantId, collection, dimension, origin = window.location.origin }: Props) {
  const api = useApi();
  const [mode, setMode] = useState<Mode>("id");
  const [pointId, setPointId] = useState("");
  const [vectorText, setVectorText] = useState("");
  const [filterText, setFilterText] = useState("");
  const [topK, setTopK] = useState(10);
  const [ef, setEf] = useState<number>(Number.NaN);
  const [sent, setSent] = useState<SearchBody | null>(null);

  const search = useMutation({
    mutationFn: (body: SearchBody) =>
      unwrap(
        api.POST("/v1/tenants/{tenant_id}/collections/{name}/search", {
          params: { path: { tenant_id: tenantId, name: collection } },
          body,
        }),
      ),
  });

  const filter = parseFilter(filterText);
  const vector = mode === "vector" ? parseVector(vectorText, dimension) : undefined;
  const topKValid = inRange(topK, 1, 10000);
  const efValid = Number.isNaN(ef) || inRange(ef, 1, 10000);
  const queryValid = mode === "id" ? pointId.trim() !== "" : vector?.ok === true;
  const valid = queryValid && filter.ok && topKValid && efValid;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!valid || !filter.ok) return;
    const body: SearchBody = { top_k: topK, include_metadata: true };
    if (mode === "id") body.id = pointId.trim();
    else if (vector?.ok) body.vector = vector.vector;
    if (filter.filter) body.filter = filter.filter;
    if (!Number.isNaN(ef)) body.ef = ef;
    setSent(body);
    search.mutate(body);
  }

  const results = search.data?.results ?? [];

  return (
    <div>
      <form onSubmit={submit} aria-label="Search">
        <fieldset>
          <legend>Query by</legend>
          <label className="check">
            <input type="radio" name="mode" value="id" checked={mode === "id"} onChange={() => setMode("id")} /> A stored point
          </label>{" "}
          <label className="check">
            <input type="radio" name="mode" value="vector" checked={mode === "vector"} onChange={() => setMode("vector")} /> A pasted vector
          </label>
        </fieldset>
        {mode === "id" ? (
          <div className="field">
            <label htmlFor="search-point-id">Point id</label>
            <input
              id="search-point-id"
              value={pointId}
              onChange={(e) => setPointId(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              aria-describedby="search-point-id-hint"
            />
            <span id="search-point-id-hint" className="hint">
              Searches with the stored vector of this point and leaves the point itself out.
            </span>
          </div>
        ) : (
          <label className="field">
            <span>Query vector</span>
            <textarea
              className="code"
              rows={4}
              value={vectorText}
              onChange={(e) => setVectorText(e.target.value)}
              placeholder={`[0.1, 0.2, ...] (${dimension ?? "?"} values)`}
              spellCheck={false}
              aria-invalid={vector && !vector.ok && vectorText !== "" ? true : undefined}
            />
            {vector && !vector.ok && vectorText !== "" && <span className="field-error">{vector.error}</span>}
          </label>
        )}
        <FilterEditor value={filterText} onChange={setFilterText} />
        <div className="row">
          <label className="field">
            <span>top_k</span>
            <input type="number" min={1} max={10000} value={Number.isNaN(topK) ? "" : topK} onChange={(e) => setTopK(e.target.valueAsNumber)} aria-invalid={topKValid ? undefined : true} />
          </label>
          <label className="field">
            <span>ef</span>
            <input
              type="number"
              min={1}
              max={10000}
              value={Number.isNaN(ef) ? "" : ef}
              placeholder="collection's"
              onChange={(e) => setEf(e.target.valueAsNumber)}
              aria-invalid={efValid ? undefined : true}
            />
          </label>
          <button type="submit" className="primary" disabled={!valid || search.isPending}>
            Search
          </button>
        </div>
        {!topKValid && <p className="field-error">top_k must be a whole number from 1 to 10,000.</p>}
        {!efValid && <p className="field-error">ef must be a whole number from 1 to 10,000, or empty for the collection's.</p>}
      </form>
      {sent && (
        <div className="curl">
          <h3>The same search with an API key</h3>
          <pre aria-label="curl command">{buildCurl(origin, collection, "search", sent)}</pre>
          <CopyButton text={buildCurl(origin, collection, "search", sent)} label="Copy curl" />
        </div>
      )}
      <ProblemMessage error={search.error} />
      {search.isPending && (
        <p className="muted" role="status">
          Searching…
        </p>
      )}
      {search.isSuccess && (
        <>
          <p role="status">{results.length === 0 ? "No results." : `${results.length} result${results.length === 1 ? "" : "s"}, best first.`}</p>
          <ol className="points">
            {results.map((r) => (
              <PointCard key={r.id} id={r.id} score={r.score} metadata={r.metadata} vector={r.vector} />
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
