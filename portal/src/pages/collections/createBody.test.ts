import { describe, expect, it } from "vitest";
import { collectionNamePattern, createCollectionBody, defaultCreateForm } from "./createBody";

describe("createCollectionBody", () => {
  it("sends HNSW parameters with an HNSW index", () => {
    expect(createCollectionBody({ ...defaultCreateForm, name: "books", dimension: 3, m: 8, efConstruction: 100, ef: 50 })).toEqual({
      dimension: 3,
      metric: "cosine",
      index: { type: "hnsw", m: 8, ef_construction: 100, ef: 50 },
      quantization: "none",
    });
  });

  it("sends a flat index without parameters, and the schema fields by name", () => {
    const body = createCollectionBody({
      ...defaultCreateForm,
      dimension: 8,
      metric: "euclidean",
      indexType: "flat",
      quantization: "int8",
      fields: [
        { name: "genre", type: "keyword" },
        { name: " year ", type: "integer" },
        { name: "", type: "text" },
      ],
    });
    expect(body).toEqual({
      dimension: 8,
      metric: "euclidean",
      index: { type: "flat" },
      quantization: "int8",
      schema: { genre: "keyword", year: "integer" },
    });
  });

  it("checks names by the API's rule", () => {
    for (const ok of ["a", "books", "0-x_y", "a".repeat(63)]) expect(collectionNamePattern.test(ok)).toBe(true);
    for (const bad of ["", "Books", "-a", "_a", "a b", "a".repeat(64), "é"]) expect(collectionNamePattern.test(bad)).toBe(false);
  });
});
