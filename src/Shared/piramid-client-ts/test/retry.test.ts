import { test } from "node:test";
import assert from "node:assert/strict";
import { PiramidApiError, PiramidClient } from "../src/index.js";
import { json, problem, scriptedServer } from "./scripted.js";

const writeResult = { count: 1, lsn: 7 };
const point = { id: "a", vector: [1, 2] };

function client(url: string, maxAttempts: number) {
  let seed = 24;
  // A seeded generator: the same jitter on every run.
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return new PiramidClient({ baseUrl: url, apiKey: "pk_test", maxAttempts, initialBackoffMs: 10, maxBackoffMs: 60_000, random });
}

test("503 then 200: waits Retry-After and resends the same Idempotency-Key and body", async () => {
  const server = await scriptedServer(problem(503, "engine-unavailable", 1), problem(503, "engine-unavailable", 1), json(writeResult));
  try {
    assert.deepEqual(await client(server.url, 3).upsert("docs", [point]), writeResult);
    const r = server.received;
    assert.equal(r.length, 3);
    assert.match(r[0]!.idempotencyKey ?? "", /^[0-9a-f-]{36}$/);
    for (const each of r) {
      assert.equal(each.idempotencyKey, r[0]!.idempotencyKey);
      assert.equal(each.body, r[0]!.body);
      assert.equal(each.authorization, "Bearer pk_test");
    }
    assert.ok(r[1]!.at - r[0]!.at >= 950, `waited ${r[1]!.at - r[0]!.at} ms`);
    assert.ok(r[2]!.at - r[1]!.at >= 950, `waited ${r[2]!.at - r[1]!.at} ms`);
  } finally {
    await server.close();
  }
});

test("each logical write has its own key, a caller's key is used as given, reads carry none", async () => {
  const server = await scriptedServer(json(writeResult));
  try {
    const c = client(server.url, 3);
    await c.upsert("docs", [point]);
    await c.upsert("docs", [point]);
    await c.deletePoints("docs", { ids: ["a"] }, { idempotencyKey: "caller-chosen" });
    await c.search("docs", { vector: [1, 2] }).catch(() => undefined); // the scripted body is not a search answer
    const keys = server.received.map((r) => r.idempotencyKey);
    assert.equal(keys.length, 4);
    assert.notEqual(keys[0], keys[1]);
    assert.equal(keys[2], "caller-chosen");
    assert.equal(keys[3], undefined);
  } finally {
    await server.close();
  }
});

test("attempts are bounded and the last problem is thrown with its fields", async () => {
  const server = await scriptedServer(problem(503, "service-unavailable"));
  try {
    const error = await client(server.url, 3).search("docs", { vector: [1] }).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof PiramidApiError);
    assert.equal(server.received.length, 3);
    assert.deepEqual(
      [error.status, error.type, error.title, error.detail, error.instance, error.traceId, error.code],
      [503, "https://piramid.dev/problems/service-unavailable", "Scripted", "scripted 503", "/scripted", "00-abc-01", "service-unavailable"]);
  } finally {
    await server.close();
  }
});

test("client errors are not retried", async () => {
  const server = await scriptedServer(problem(409, "conflict"));
  try {
    await assert.rejects(client(server.url, 5).createCollection("docs", { dimension: 2 }), (e: unknown) => e instanceof PiramidApiError && e.code === "conflict");
    assert.equal(server.received.length, 1);
  } finally {
    await server.close();
  }
});

test("a Retry-After longer than maxBackoffMs is not waited for", async () => {
  const server = await scriptedServer(problem(429, "rate-limited", 120));
  try {
    await assert.rejects(client(server.url, 5).upsert("docs", [point]), (e: unknown) => e instanceof PiramidApiError && e.retryAfterMs === 120_000);
    assert.equal(server.received.length, 1);
  } finally {
    await server.close();
  }
});

test("aborting during the retry wait ends the call without another attempt", async () => {
  const server = await scriptedServer(problem(503, "engine-unavailable", 20));
  try {
    const abort = new AbortController();
    const call = client(server.url, 5).upsert("docs", [point], { signal: abort.signal });
    await server.first;
    abort.abort();
    await assert.rejects(call, (e: unknown) => e instanceof Error && e.name === "AbortError");
    assert.equal(server.received.length, 1);
  } finally {
    await server.close();
  }
});
