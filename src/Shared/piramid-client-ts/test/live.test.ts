// Against the live platform: Piramid.Client.Tests starts one (PostgreSQL, control plane, engines, gateway) and
// runs these with PIRAMID_URL, PIRAMID_KEY (a fresh tenant's admin key) and PIRAMID_LIMITED_KEY (a tenant whose
// plan allows one write per second). Without them they fail: they never skip.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PiramidApiError, PiramidClient, type PointInput, type SearchQuery } from "../src/index.js";

function env(name: string): string {
  const value = process.env[name];
  assert.ok(value, `${name} is not set: run these through Piramid.Client.Tests (./piramid test)`);
  return value;
}

function live(key = env("PIRAMID_KEY"), maxAttempts = 4, fetchFn?: typeof fetch) {
  return new PiramidClient({ baseUrl: env("PIRAMID_URL"), apiKey: key, maxAttempts, initialBackoffMs: 50, fetch: fetchFn });
}

const genres = ["drama", "comedy", "horror"];

test("collections: create, list, get, delete", async () => {
  const c = live();
  const created = await c.createCollection("ts-books", { dimension: 3, metric: "euclidean", index: { type: "hnsw", m: 8 }, schema: { genre: "keyword" } });
  assert.deepEqual([created.name, created.dimension, created.metric, created.index?.m], ["ts-books", 3, "euclidean", 8]);
  await c.createCollection("ts-films", { dimension: 2, index: { type: "flat" } });
  const names = (await c.listCollections()).map((x) => x.name);
  assert.ok(names.includes("ts-books") && names.includes("ts-films"), names.join(","));
  const films = await c.getCollection("ts-films");
  assert.deepEqual([films.index?.type, films.metric, films.count, films.status], ["flat", "cosine", 0, "ready"]);
  await c.deleteCollection("ts-films");
  await assert.rejects(c.getCollection("ts-films"), (e: unknown) => e instanceof PiramidApiError && e.status === 404 && e.code === "not-found");
});

test("points: upsert, get, update, delete, count", async () => {
  const c = live();
  await c.createCollection("ts-docs", { dimension: 2 });
  const written = await c.upsert("ts-docs", [
    { id: "a", vector: [1, 0], metadata: { genre: "drama", year: 1999 } },
    { id: "b/2", vector: [0, 1], metadata: { genre: "comedy", year: 2005 } },
    { id: "c", vector: [1, 1] },
  ]);
  assert.equal(written.count, 3);
  assert.ok((written.lsn ?? 0) > 0);

  const b = await c.getPoint("ts-docs", "b/2", { includeVector: true });
  assert.deepEqual([b.id, b.vector, (b.metadata as Record<string, unknown>).genre], ["b/2", [0, 1], "comedy"]);
  assert.deepEqual((await c.getPoints("ts-docs", ["c", "missing", "a"], { include_metadata: false })).map((p) => p.id), ["c", "a"]);

  const updated = await c.updatePoint("ts-docs", "a", { metadata: { year: null, rating: 5 }, vector: [0.5, 0.5] });
  assert.ok((updated.lsn ?? 0) > (written.lsn ?? 0));
  const a = await c.getPoint("ts-docs", "a", { includeVector: true });
  assert.deepEqual([a.vector, a.metadata], [[0.5, 0.5], { genre: "drama", rating: 5 }]);

  assert.equal(await c.count("ts-docs"), 3);
  assert.equal(await c.count("ts-docs", { genre: "comedy" }), 1);
  assert.equal((await c.deletePoints("ts-docs", { ids: ["c", "not-there"] })).count, 1);
  assert.equal((await c.deletePoints("ts-docs", { filter: { genre: "comedy" } })).count, 1);
  await assert.rejects(c.getPoint("ts-docs", "c"), (e: unknown) => e instanceof PiramidApiError && e.status === 404);
  await assert.rejects(c.deletePoints("ts-docs", { filter: {} }), (e: unknown) => e instanceof PiramidApiError && e.status === 400);
  assert.equal((await c.deletePoints("ts-docs", { all: true })).count, 1);
  assert.equal(await c.count("ts-docs"), 0);
});

test("search with a filter, batch, recommend, groups, and a 400 naming the field", async () => {
  const c = live();
  await c.createCollection("ts-films2", { dimension: 2, metric: "euclidean", index: { type: "flat" } });
  const points: PointInput[] = Array.from({ length: 12 }, (_, i) => ({
    id: `f${String(i).padStart(2, "0")}`, vector: [i, 0], metadata: { genre: genres[i % 3], year: 2000 + i },
  }));
  await c.upsert("ts-films2", points);

  assert.deepEqual((await c.search("ts-films2", { vector: [4.2, 0], top_k: 3 })).map((r) => r.id), ["f04", "f05", "f03"]);
  const filtered = await c.search("ts-films2", { vector: [4.2, 0], top_k: 2, filter: { $and: [{ genre: "drama" }, { year: { $gte: 2005 } }] }, include_vector: true });
  assert.deepEqual(filtered.map((r) => r.id), ["f06", "f09"]);
  assert.deepEqual(filtered[0]?.vector, [6, 0]);

  const batch = await c.searchBatch("ts-films2", [{ vector: [0, 0], top_k: 1 }, { vector: [11, 0], top_k: 2, filter: { genre: { $in: ["comedy", "horror"] } } }]);
  assert.deepEqual(batch.map((list) => list.map((r) => r.id)), [["f00"], ["f11", "f10"]]);

  // The query is the mean of f07 and (9, 0), that is (8, 0); f07 is an example, f09 a drama.
  const recommended = await c.recommend("ts-films2", { positive: ["f07", [9, 0]], top_k: 2, filter: { $not: { genre: "drama" } } });
  assert.deepEqual(recommended.map((r) => r.id), ["f08", "f10"]);

  const groups = await c.searchGroups("ts-films2", { vector: [0, 0], group_by: "genre", group_size: 2, limit: 3 });
  assert.deepEqual(groups.map((g) => [g.value, (g.results ?? []).map((r) => r.id)]), [["drama", ["f00", "f03"]], ["comedy", ["f01", "f04"]], ["horror", ["f02", "f05"]]]);

  await assert.rejects(c.search("ts-films2", { vector: [1, 0], top_k: 0 }), (e: unknown) =>
    e instanceof PiramidApiError && e.status === 400 && e.code === "invalid-request" && (e.detail ?? "").includes("top_k") && e.instance === "/v1/collections/ts-films2/search");
});

test("search by a stored point's id leaves it out; offset pages through the ranking; both or neither is a 400", async () => {
  const c = live();
  await c.createCollection("ts-line", { dimension: 2, metric: "euclidean", index: { type: "flat" } });
  await c.upsert("ts-line", Array.from({ length: 10 }, (_, i) => ({ id: `p${i}`, vector: [i, 0] })));

  // p4's neighbours on the line: p3 and p5 (equally near, so compare as a set), then p2 and p6.
  const byId = await c.search("ts-line", { id: "p4", top_k: 4 });
  assert.deepEqual(byId.map((r) => r.id).sort(), ["p2", "p3", "p5", "p6"]);
  const near = await c.search("ts-line", { vector: [0, 0], top_k: 3, offset: 0 });
  const next = await c.search("ts-line", { vector: [0, 0], top_k: 3, offset: 3 });
  assert.deepEqual([...near, ...next].map((r) => r.id), ["p0", "p1", "p2", "p3", "p4", "p5"]);
  const fromId = await c.search("ts-line", { id: "p0", top_k: 2, offset: 2 });
  assert.deepEqual(fromId.map((r) => r.id), ["p3", "p4"]);

  await assert.rejects(c.search("ts-line", { id: "ghost" }), (e: unknown) =>
    e instanceof PiramidApiError && e.status === 404 && e.code === "not-found" && (e.detail ?? "").includes("ghost"));
  const both = { id: "p1", vector: [1, 0] } as unknown as SearchQuery;
  await assert.rejects(c.search("ts-line", both), (e: unknown) =>
    e instanceof PiramidApiError && e.status === 400 && (e.detail ?? "").includes("vector") && (e.detail ?? "").includes("id"));
  // These tests share one tenant, whose plan allows 5 collections.
  await c.deleteCollection("ts-line");
});

test("scroll follows the cursor over several pages, in id order", async () => {
  let scrolls = 0;
  const counting: typeof fetch = (input, init) => {
    if (String(input).endsWith("/scroll")) scrolls++;
    return fetch(input, init);
  };
  const c = live(undefined, 4, counting);
  await c.createCollection("ts-many", { dimension: 1 });
  const ids = Array.from({ length: 25 }, (_, i) => `p${String(i).padStart(3, "0")}`);
  await c.upsert("ts-many", ids.map((id, i) => ({ id, vector: [i + 1], metadata: { even: i % 2 === 0 } })));

  const seen: string[] = [];
  for await (const p of c.scroll("ts-many", { page_size: 7 })) seen.push(p.id!);
  assert.deepEqual(seen, ids);
  assert.equal(scrolls, 4); // 7 + 7 + 7 + 4

  const evens: string[] = [];
  for await (const p of c.scroll("ts-many", { page_size: 5, filter: { even: true } })) evens.push(p.id!);
  assert.deepEqual(evens, ids.filter((_, i) => i % 2 === 0));
});

test("aborting stops a scroll between pages", async () => {
  let scrolls = 0;
  const counting: typeof fetch = (input, init) => {
    if (String(input).endsWith("/scroll")) scrolls++;
    return fetch(input, init);
  };
  const c = live(undefined, 4, counting);
  await c.createCollection("ts-abort", { dimension: 1 });
  await c.upsert("ts-abort", Array.from({ length: 10 }, (_, i) => ({ id: `p${i}`, vector: [i + 1] })));
  const abort = new AbortController();
  let seen = 0;
  await assert.rejects(async () => {
    for await (const _ of c.scroll("ts-abort", { page_size: 3 }, { signal: abort.signal })) {
      if (++seen === 3) abort.abort();
    }
  }, (e: unknown) => e instanceof Error && e.name === "AbortError");
  assert.equal(seen, 3);
  assert.equal(scrolls, 1);
});

test("a real 429 is retried after Retry-After with the same Idempotency-Key", async () => {
  const key = env("PIRAMID_LIMITED_KEY");
  const attempts: { status: number; key: string | null }[] = [];
  const recording: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    attempts.push({ status: response.status, key: new Headers(init?.headers).get("idempotency-key") });
    return response;
  };
  await live(key).createCollection("ts-limited", { dimension: 2 });

  // Without retries, writes drain the one-token bucket until the gateway refuses one.
  const once = live(key, 1);
  let refused: PiramidApiError | undefined;
  for (let i = 0; i < 10 && !refused; i++) {
    try {
      await once.upsert("ts-limited", [{ id: `drain-${i}`, vector: [1, 2] }]);
    } catch (e) {
      if (!(e instanceof PiramidApiError)) throw e;
      refused = e;
    }
  }
  assert.ok(refused, "the gateway never refused a write");
  assert.deepEqual([refused.status, refused.code], [429, "rate-limited"]);
  assert.ok(refused.retryAfterMs !== undefined);

  const written = await live(key, 4, recording).upsert("ts-limited", [{ id: "retried", vector: [1, 2] }]);
  assert.equal(written.count, 1);
  assert.ok(attempts.length >= 2, JSON.stringify(attempts));
  assert.equal(attempts[0]!.status, 429);
  assert.equal(attempts.at(-1)!.status, 200);
  assert.ok(attempts[0]!.key);
  for (const a of attempts) assert.equal(a.key, attempts[0]!.key);
  assert.equal((await live(key).getPoint("ts-limited", "retried")).id, "retried");
});
