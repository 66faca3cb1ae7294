// The wire types, from the generated OpenAPI types: one source of truth with the server's document.
import type { components } from "./generated/openapi.js";

type Schemas = components["schemas"];

/** A collection as the platform describes it. */
export type CollectionInfo = Schemas["CollectionInfo"];
/** Settings of a new collection: `dimension` (required), `metric`, `index`, `quantization`, `schema`. */
export type CollectionSettings = Schemas["CreateCollectionRequest"] & { dimension: number };
/** Index settings of a collection. */
export type IndexSettings = Schemas["IndexSettings"];
/** A point as returned by get and scroll. */
export type Point = Schemas["PointOutput"];
/** One point of an upsert. */
export type PointInput = Schemas["PointInput"] & { id: string; vector: number[] };
/** One search result; higher scores are more similar for every metric. */
export type ScoredPoint = Schemas["ScoredPointOutput"];
/**
 * A search query: by a query `vector`, or by the `id` of a stored point (its vector is the query, the point itself is
 * left out of the results); exactly one of them. `offset` pages deeper into the same ranking.
 */
export type SearchQuery = Omit<Schemas["SearchRequest"], "vector" | "id" | "filter"> & { filter?: Filter } & (
  | { vector: number[]; id?: never }
  | { id: string; vector?: never }
);
/** A recommend query: `positive` and `negative` hold point ids (strings) or vectors (arrays). */
export type RecommendQuery = Omit<Schemas["RecommendRequest"], "positive" | "negative" | "filter"> & {
  positive: Array<string | number[]>;
  negative?: Array<string | number[]>;
  filter?: Filter;
};
/** A search grouped by a metadata field. */
export type GroupsQuery = Schemas["SearchGroupsRequest"] & { vector: number[]; group_by: string; filter?: Filter };
/** One group of a grouped search. */
export type PointGroup = Schemas["PointGroup"];
/** Answer to a durable write. */
export type WriteResult = Schemas["WriteResult"];
/** One page of a scroll. */
export type PointsPage = Schemas["PointsPage"];
/** Scroll options. */
export type ScrollOptions = { filter?: Filter; page_size?: number; include_vector?: boolean; include_metadata?: boolean };
/** A metadata filter in the platform's Mongo-style language, e.g. `{ genre: "drama", year: { $gte: 2000 } }`. */
export type Filter = Record<string, unknown>;
/** A problem+json body (RFC 9457). */
export type Problem = Schemas["Problem"] & { trace_id?: string; traceId?: string };
