// Transport failures against the live platform (PIRAMID_URL, and PIRAMID_TRANSPORT_KEY: a tenant of their own, as
// live.test.ts runs alongside and fills the plan's collections) through a proxy that drops the scripted
// connections: reads and keyed writes are resent with the same key, a collection delete is not. The tests share
// one collection, in order; the last deletes it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PiramidApiError, PiramidClient } from "../src/index.js";
import { droppingProxy, type Drop } from "./dropping-proxy.js";

function env(name: string): string {
  const value = process.env[name];
  assert.ok(value, `${name} is not set: run these through Piramid.Client.Tests (./piramid test)`);
  return value;
}

function client(url: string, maxAttempts = 4) {
  return new PiramidClient({ baseUrl: url, apiKey: env("PIRAMID_TRANSPORT_KEY"), maxAttempts, initialBackoffMs: 50 });
}

async function withProxy(drops: Drop[], body: (proxy: Awaited<ReturnType<typeof droppingProxy>>) => Promise<void>) {
  const proxy = await droppingProxy(env("PIRAMID_URL"), ...drops);
  try {
    await body(proxy);
  } finally {
    await proxy.close();
  }
}

test("an upsert whose answer was lost is resent with its key: the first lsn, written once", async () => {
  const direct = client(env("PIRAMID_URL"));
  await direct.createCollection("ts-transport", { dimension: 2 });
  await withProxy(["lose-answer"], async (proxy) => {
    const written = await client(proxy.url).upsert("ts-transport", [{ id: "a", vector: [1, 2] }]);
    assert.equal(proxy.connections(), 2);
    assert.equal(proxy.lostAnswers.length, 1);
    assert.match(proxy.lostAnswers[0]!, /^HTTP\/1\.1 200/);
    assert.equal(Number(/"lsn"\s*:\s*(\d+)/.exec(proxy.lostAnswers[0]!)![1]), written.lsn);
    const next = await direct.upsert("ts-transport", [{ id: "b", vector: [3, 4] }]);
    assert.equal(next.lsn, written.lsn + 1); // the resend logged nothing
  });
});

test("a read is resent after connections reset before and after the server answered", async () => {
  await withProxy(["reset", "reset", "lose-answer"], async (proxy) => {
    const info = await client(proxy.url).getCollection("ts-transport");
    assert.equal(info.dimension, 2);
    assert.equal(proxy.connections(), 4);
  });
});

test("transport retries stop at maxAttempts with fetch's error, and nothing was written", async () => {
  const direct = client(env("PIRAMID_URL"));
  await withProxy(["reset", "reset", "reset", "reset"], async (proxy) => {
    await assert.rejects(client(proxy.url, 3).upsert("ts-transport", [{ id: "never", vector: [1, 2] }]), TypeError);
    assert.equal(proxy.connections(), 3);
    await assert.rejects(direct.getPoint("ts-transport", "never"), (e: unknown) => e instanceof PiramidApiError && e.status === 404);
  });
});

test("a collection delete is not resent after its answer was lost", async () => {
  const direct = client(env("PIRAMID_URL"));
  await withProxy(["lose-answer"], async (proxy) => {
    await assert.rejects(client(proxy.url).deleteCollection("ts-transport"), TypeError);
    assert.equal(proxy.connections(), 1);
    await assert.rejects(direct.getCollection("ts-transport"), (e: unknown) => e instanceof PiramidApiError && e.status === 404);
  });
});
