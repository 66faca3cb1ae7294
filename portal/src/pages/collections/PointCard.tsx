/** One point or search result: id, score, metadata as formatted JSON, the vector on request. */
export function PointCard({
  id,
  score,
  metadata,
  vector,
}: {
  id: string;
  score?: number;
  metadata?: unknown;
  vector?: number[] | null;
}) {
  return (
    <li className="card point">
      <h3>
        <code>{id}</code>
        {score !== undefined && <span className="score"> score {score.toFixed(4)}</span>}
      </h3>
      {metadata !== undefined && metadata !== null && <pre aria-label={`Metadata of ${id}`}>{JSON.stringify(metadata, null, 2)}</pre>}
      {vector && (
        <details>
          <summary>Vector ({vector.length} values)</summary>
          <pre>{JSON.stringify(vector)}</pre>
        </details>
      )}
    </li>
  );
}
