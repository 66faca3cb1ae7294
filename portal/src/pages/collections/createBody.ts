import type { components } from "../../generated/openapi";

export type CreateCollectionBody = components["schemas"]["CreateCollectionRequest"];

export const metrics = ["cosine", "dot", "euclidean"] as const;
export const fieldTypes = ["keyword", "text", "integer", "float", "boolean"] as const;

/** The create form's values, as the inputs hold them. */
export interface CreateCollectionForm {
  name: string;
  dimension: number;
  metric: (typeof metrics)[number];
  indexType: "hnsw" | "flat";
  m: number;
  efConstruction: number;
  ef: number;
  quantization: "none" | "int8";
  fields: { name: string; type: (typeof fieldTypes)[number] }[];
}

export const defaultCreateForm: CreateCollectionForm = {
  name: "",
  dimension: 384,
  metric: "cosine",
  indexType: "hnsw",
  m: 16,
  efConstruction: 200,
  ef: 64,
  quantization: "none",
  fields: [],
};

/** The API's collection name rule (docs/API.md, Limits). */
export const collectionNamePattern = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** The body of `PUT .../collections/{name}` for the form: HNSW parameters only for HNSW, schema only when given. */
export function createCollectionBody(form: CreateCollectionForm): CreateCollectionBody {
  const body: CreateCollectionBody = {
    dimension: form.dimension,
    metric: form.metric,
    index:
      form.indexType === "flat"
        ? { type: "flat" }
        : { type: "hnsw", m: form.m, ef_construction: form.efConstruction, ef: form.ef },
    quantization: form.quantization,
  };
  const fields = form.fields.filter((f) => f.name.trim() !== "");
  if (fields.length > 0) body.schema = Object.fromEntries(fields.map((f) => [f.name.trim(), f.type]));
  return body;
}
