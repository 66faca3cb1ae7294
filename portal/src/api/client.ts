import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "../generated/openapi";
import { toApiError } from "./problem";

/** The typed client of the platform's API (openapi-fetch over the generated paths). */
export type Api = ReturnType<typeof createClient<paths>>;

export interface ApiOptions {
  /** Origin of the gateway; the portal is served by it, so the page's own origin. */
  baseUrl: string;
  /** The signed-in person's access token, or nothing (the request then goes without one). */
  getAccessToken: () => Promise<string | null | undefined>;
  /** Called on a 401, e.g. to sign in again. */
  onUnauthorized?: () => void;
  fetch?: typeof globalThis.fetch;
}

/** Builds the client: the bearer token on every request, a 401 reported once per answer. */
export function createApi(options: ApiOptions): Api {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    fetch: options.fetch ?? ((request) => globalThis.fetch(request)),
  });
  const auth: Middleware = {
    async onRequest({ request }) {
      const token = await options.getAccessToken();
      if (token) request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) options.onUnauthorized?.();
      return undefined;
    },
  };
  client.use(auth);
  return client;
}

type Answer<T> = { data?: T; error?: unknown; response: Response };

/**
 * Awaits an openapi-fetch call and returns its data, or throws an ApiError whose message is the problem in
 * words. A 204 answers undefined.
 */
export async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw toApiError(response, error);
  return data as T;
}
