// The platform the suite drives, started exactly as a user starts it: `./piramid up --no-build` (after
// `./piramid test` built everything) with a state directory of its own, so its ports and data never touch a
// developer's stack; URLs and users come from the local.json that `up` writes. PIRAMID_E2E_STATE reuses a running
// platform's state instead (for working on the suite): it is then neither started nor stopped here.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..", "..", "..");

function piramid(state, ...args) {
  const run = spawnSync(join(root, "piramid"), args, {
    cwd: root,
    env: { ...process.env, PIRAMID_STATE_DIR: state },
    encoding: "utf8",
    timeout: 15 * 60 * 1000,
  });
  if (run.status !== 0) {
    throw new Error(`./piramid ${args.join(" ")} exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
  }
  return run.stdout;
}

/** Starts a platform (or reuses PIRAMID_E2E_STATE's); `stop()` runs `./piramid down`, then purges its state. */
export function startPlatform() {
  const reused = process.env.PIRAMID_E2E_STATE;
  // ./piramid test names the folder (PIRAMID_E2E_STATE_ROOT) so that it can purge whatever a killed run left there.
  const parent = process.env.PIRAMID_E2E_STATE_ROOT ?? tmpdir();
  const state = reused ?? mkdtempSync(join(parent, "piramid-portal-e2e-"));
  if (!reused) piramid(state, "up", "--no-build");
  const local = JSON.parse(readFileSync(join(state, "local.json"), "utf8"));
  if (!local.portal_url) throw new Error(`the platform serves no portal (portal_url is empty in ${state}/local.json): build portal/ first`);
  return {
    state,
    local,
    gateway: local.gateway_url,
    portal: local.portal_url.replace(/\/$/, ""),
    stop() {
      if (reused) return;
      try {
        piramid(state, "down");
      } finally {
        piramid(state, "purge", "--yes");
      }
    },
  };
}

/** Where reports go: ./piramid test's results directory, else the checkout's default one. */
export function resultsDirectory() {
  return process.env.PIRAMID_TEST_RESULTS ?? join(root, ".piramid", "test-results");
}

export const portalDirectory = join(root, "portal");
