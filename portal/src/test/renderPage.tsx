import type { ReactNode } from "react";
import { render } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createMemoryRouter, RouterProvider, type RouteObject } from "react-router";
import { ApiContext } from "../api/ApiContext";
import { createApi } from "../api/client";

/** Renders pages at `path` with a real API client talking to `baseUrl` (a LoopbackApi) and a fresh query cache. */
export function renderPage(routes: { path: string; element: ReactNode }[], path: string, baseUrl: string) {
  const api = createApi({ baseUrl, getAccessToken: async () => "member-token" });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const router = createMemoryRouter(routes as RouteObject[], { initialEntries: [path] });
  const view = render(
    <ApiContext.Provider value={api}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </ApiContext.Provider>,
  );
  return { ...view, router };
}
