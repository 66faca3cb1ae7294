import type { ReactNode } from "react";
import { render } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { MemoryRouter, Route, Routes } from "react-router";
import { InMemoryWebStorage, User, UserManager, WebStorageStateStore } from "oidc-client-ts";
import { vi } from "vitest";
import { AuthProvider } from "../auth/AuthContext";
import { ApiProvider } from "../api/ApiContext";

// A page test renders a whole page and types like a person (user-event); on a loaded 2-core machine (CI builds the
// .NET solution at the same time) one took over 5 s, vitest's default. This is a limit for hangs, not a pace.
vi.setConfig({ testTimeout: 30_000 });

/** A request the page sent, as the stub saw it. */
export interface StubCall {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: unknown;
}

export interface StubReply {
  status?: number;
  json?: unknown;
  text?: string;
  contentType?: string;
}

type Handler = (call: StubCall, params: Record<string, string>) => StubReply;

interface StubRoute {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

/**
 * The HTTP layer of the page tests, and nothing else: `fetch` answers from routes written like the API's
 * (`GET /v1/tenants/{id}/api-keys`); a request no route takes is a 404 problem and is listed in `unmatched`.
 */
export class HttpStub {
  readonly calls: StubCall[] = [];
  readonly unmatched: string[] = [];
  private readonly routes: StubRoute[] = [];

  on(method: string, template: string, reply: Handler | StubReply): this {
    const names: string[] = [];
    const source = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return "([^/]+)";
    });
    const handler: Handler = typeof reply === "function" ? reply : () => reply;
    // Later routes win, so a test can replace an answer set up earlier.
    this.routes.unshift({ method, pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  /** The calls to one route, e.g. `callsTo("POST", "/v1/tenants/{id}/api-keys")`. */
  callsTo(method: string, template: string): StubCall[] {
    const pattern = new RegExp(`^${template.replace(/\{(\w+)\}/g, "[^/]+")}$`);
    return this.calls.filter((c) => c.method === method && pattern.test(c.path));
  }

  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const text = await request.text();
    const call: StubCall = {
      method: request.method,
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
      body: text === "" ? undefined : JSON.parse(text),
    };
    this.calls.push(call);
    for (const route of this.routes) {
      const match = route.method === call.method ? route.pattern.exec(call.path) : null;
      if (!match) continue;
      const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(match[i + 1] ?? "")]));
      const reply = route.handler(call, params);
      const status = reply.status ?? 200;
      if (status === 204) return new Response(null, { status });
      const body = reply.text ?? JSON.stringify(reply.json ?? {});
      const contentType = reply.contentType ?? (status >= 400 ? "application/problem+json" : "application/json");
      return new Response(body, { status, headers: { "Content-Type": contentType } });
    }
    this.unmatched.push(`${call.method} ${call.path}`);
    return new Response(
      JSON.stringify(problem(404, "not-found", "Not found", `No stub for ${call.method} ${call.path}.`)),
      {
        status: 404,
        headers: { "Content-Type": "application/problem+json" },
      },
    );
  };

  /** Replaces the global fetch for this test (undone by `vi.unstubAllGlobals()`). */
  install(): this {
    vi.stubGlobal("fetch", this.fetch);
    return this;
  }
}

/** A problem+json body of the catalogue's shape (docs/API.md, Errors). */
export function problem(status: number, name: string, title: string, detail: string) {
  return {
    type: `https://piramid.dev/problems/${name}`,
    title,
    status,
    detail,
    instance: "/v1/test",
    trace_id: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    request_id: "0HNQ9RR3GHO5H:00000001",
  };
}

/**
 * Renders one page at `url` under the route `path`, signed in (a real oidc-client-ts user manager whose user sits
 * in memory), with the app's real api module and a fresh query cache.
 */
export async function renderWithStub(element: ReactNode, { path, url }: { path: string; url: string }) {
  const userManager = new UserManager({
    authority: "http://portal.test",
    client_id: "piramid-portal",
    redirect_uri: "http://portal.test/callback",
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    stateStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
  });
  await userManager.storeUser(
    new User({
      access_token: "test-access-token",
      token_type: "Bearer",
      profile: { sub: "u-test", iss: "http://portal.test", aud: "piramid-portal", exp: 4102444800, iat: 1 },
      expires_at: 4102444800,
    }),
  );
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const result = render(
    <AuthProvider userManager={userManager}>
      <ApiProvider baseUrl="http://portal.test">
        <QueryClientProvider client={queryClient}>
          <MemoryRouter initialEntries={[url]}>
            <Routes>
              <Route path={path} element={element} />
              <Route path="*" element={<p>Left the page for another</p>} />
            </Routes>
          </MemoryRouter>
        </QueryClientProvider>
      </ApiProvider>
    </AuthProvider>,
  );
  return { ...result, queryClient };
}
