// @vitest-environment node
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCurl, shellQuote } from "./curl";

const run = promisify(execFile);

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

let server: Server;
let origin: string;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({
        method: req.method ?? "",
        url: req.url ?? "",
        authorization: req.headers.authorization,
        contentType: req.headers["content-type"],
        body: Buffer.concat(chunks).toString("utf8"),
      });
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end('{"results":[]}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Runs the command in a real shell, with the key in the environment as the user would have it. */
async function execute(command: string): Promise<Seen> {
  const before = seen.length;
  await run("bash", ["-c", command], { env: { PATH: process.env.PATH, PIRAMID_API_KEY: "pk_0123456789abcdef_secret" } });
  expect(seen.length).toBe(before + 1);
  return seen.at(-1)!;
}

// Deterministic generator (mulberry32) for strings full of shell-special characters.
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const alphabet = ["'", '"', "$", "`", "\\", "!", " ", "\n", "\t", "*", "?", ";", "&", "|", "(", ")", "{", "}", "#", "~", "é", "🙂", "a", "Z", "0", "$(id)", "'\\''"];

describe("buildCurl", () => {
  it("posts the body to the key's path with the API key from the shell", async () => {
    const body = { vector: [0.1, -2, 3e-7], top_k: 5, filter: { genre: "drama" }, include_metadata: true };
    const got = await execute(buildCurl(origin, "books", "search", body));
    expect(got.method).toBe("POST");
    expect(got.url).toBe("/v1/collections/books/search");
    expect(got.authorization).toBe("Bearer pk_0123456789abcdef_secret");
    expect(got.contentType).toBe("application/json");
    expect(JSON.parse(got.body)).toEqual(body);
  });

  it("names $PIRAMID_API_KEY, never a literal credential", () => {
    const command = buildCurl("https://piramid.example", "books", "search", { id: "a" });
    expect(command).toContain('-H "Authorization: Bearer $PIRAMID_API_KEY"');
    expect(command).toContain("'https://piramid.example/v1/collections/books/search'");
  });

  it("delivers any filter text byte for byte through the shell (60 seeded cases)", async () => {
    const next = random(17);
    const bodies = Array.from({ length: 60 }, () => {
      let value = "";
      const length = 1 + Math.floor(next() * 12);
      for (let j = 0; j < length; j++) value += alphabet[Math.floor(next() * alphabet.length)];
      return { id: value, top_k: 3, filter: { [value]: { $ne: value } } };
    });
    // One shell runs every command in turn (a shell per case is slow on a busy machine).
    const before = seen.length;
    await run("bash", ["-c", bodies.map((b) => buildCurl(origin, "c-1", "search", b)).join("\n")], {
      env: { PATH: process.env.PATH, PIRAMID_API_KEY: "k" },
    });
    expect(seen.slice(before).map((s) => s.body)).toEqual(bodies.map((b) => JSON.stringify(b)));
  }, 60_000);
});

describe("shellQuote", () => {
  it("wraps in single quotes and escapes them", () => {
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });
});
