import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
// @ts-expect-error: a plain ES module script without types
import { generate, outputPath } from "../../scripts/generate.mjs";

test("the committed generated types match docs/openapi.json (run `npm run generate` after changing it)", async () => {
  const committed = await readFile(outputPath as string, "utf8");
  assert.equal(committed, await (generate as () => Promise<string>)(), "src/generated/openapi.ts is stale");
});
