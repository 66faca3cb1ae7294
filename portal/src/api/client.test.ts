// @vitest-environment node
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApi, unwrap } from "./client";
import { ApiError, problemText } from "./problem";

// A real HTTP server on a free loopback port answers as the gateway would.
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_req, res) => res.end();
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function answer(status: number, body: unknown, type = "application/json") {
  return (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, { "Content-Type": type });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  };
}

const me = { id: "7b0c8f3e-0000-4000-8000-000000000001", email: "ada@example.com", memberships: [] };

describe("api client", () => {
  it("sends the access token as a bearer token", async () => {
    let seen: string | undefined;
    handler = (req, res) => {
      seen = req.headers.authorization;
      answer(200, me)(req, res);
    };
    const api = createApi({ baseUrl, getAccessToken: async () => "token-123" });
    const data = await unwrap(api.GET("/v1/me"));
    expect(seen).toBe("Bearer token-123");
    expect(data.email).toBe("ada@example.com");
  });

  it("sends no Authorization header without a token", async () => {
    let seen: string | undefined = "unset";
    handler = (req, res) => {
      seen = req.headers.authorization;
      answer(200, me)(req, res);
    };
    const api = createApi({ baseUrl, getAccessToken: async () => null });
    await unwrap(api.GET("/v1/me"));
    expect(seen).toBeUndefined();
  });

  it("turns a problem+json answer into an ApiError in words", async () => {
    handler = answer(
      400,
      {
        type: "https://piramid.dev/problems/invalid-filter",
        title: "Invalid filter",
        status: 400,
        detail: "'year': expected an integer; got \"1965\".",
      },
      "application/problem+json",
    );
    const api = createApi({ baseUrl, getAccessToken: async () => "t" });
    const error = await unwrap(
      api.POST("/v1/tenants/{tenant_id}/collections/{name}/scroll", {
        params: { path: { tenant_id: "acme", name: "books" } },
        body: { filter: { year: "1965" } },
      }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(400);
    expect(apiError.problemName).toBe("invalid-filter");
    expect(apiError.message).toBe("Invalid filter: 'year': expected an integer; got \"1965\".");
  });

  it("reports a 401 to onUnauthorized", async () => {
    handler = answer(401, { type: "https://piramid.dev/problems/unauthorized", title: "Unauthorized", status: 401 });
    let told = 0;
    const api = createApi({ baseUrl, getAccessToken: async () => "expired", onUnauthorized: () => told++ });
    const error = (await unwrap(api.GET("/v1/me")).catch((e: unknown) => e)) as ApiError;
    expect(error.message).toBe("Unauthorized");
    expect(told).toBe(1);
  });

  it("names the HTTP status when the body is not a problem", async () => {
    handler = answer(502, "<html>bad gateway</html>", "text/html");
    const api = createApi({ baseUrl, getAccessToken: async () => "t" });
    const error = (await unwrap(api.GET("/v1/me")).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(502);
    expect(error.message).toBe("Bad Gateway (HTTP 502)");
    expect(error.problem).toBeUndefined();
  });

  it("answers undefined for a 204", async () => {
    handler = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    const api = createApi({ baseUrl, getAccessToken: async () => "t" });
    const data = await unwrap(
      api.DELETE("/v1/tenants/{tenant_id}/collections/{name}", { params: { path: { tenant_id: "acme", name: "books" } } }),
    );
    expect(data).toBeUndefined();
  });
});

describe("problemText", () => {
  it("uses the title alone when the detail repeats it or is missing", () => {
    expect(problemText(404, "Not Found", { type: "x", title: "Not found", status: 404 })).toBe("Not found");
    expect(problemText(404, "Not Found", { type: "x", title: "Not found", status: 404, detail: "Not found" })).toBe(
      "Not found",
    );
  });

  it("reads the OAuth error object", () => {
    expect(problemText(400, "Bad Request", { error: "invalid_grant", error_description: "The code expired." })).toBe(
      "invalid_grant: The code expired.",
    );
  });
});
