/// <reference types="vitest/config" />
import { readFileSync } from "node:fs";
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// `npm run dev` forwards the API, OAuth and account pages to a running gateway, so the browser sees one
// origin as it does in production. PIRAMID_GATEWAY_URL wins; else the `gateway_url` that `./piramid up` wrote.
function gatewayUrl(): string | undefined {
  if (process.env.PIRAMID_GATEWAY_URL) return process.env.PIRAMID_GATEWAY_URL;
  try {
    const local = JSON.parse(readFileSync(new URL("../.piramid/local.json", import.meta.url), "utf8")) as { gateway_url?: string };
    return local.gateway_url;
  } catch {
    return undefined;
  }
}

const target = gatewayUrl();
// changeOrigin stays false: the gateway keeps the browser's Host on the sign-in pages, so redirects name the dev server.
const proxied = target ? { target, changeOrigin: false, xfwd: true } : undefined;

// What the gateway sends with the portal's pages; `npm run preview` sends it too, so a violation shows up before
// the app is served by the gateway.
export const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: proxied
      ? { "/v1": proxied, "/connect": proxied, "/account": proxied, "/.well-known": proxied }
      : undefined,
  },
  preview: {
    headers: { "Content-Security-Policy": contentSecurityPolicy },
    proxy: proxied
      ? { "/v1": proxied, "/connect": proxied, "/account": proxied, "/.well-known": proxied }
      : undefined,
  },
  build: {
    outDir: "dist",
    assetsDir: "assets",
    // The gateway's CSP allows only same-origin files: no data: URLs, no inline polyfill.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    // The machine is shared with many builds: a slow test is not a failed one.
    testTimeout: 30_000,
  },
});
