import { useState } from "react";
import { createBrowserRouter, RouterProvider, type RouteObject } from "react-router";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { UserManager } from "oidc-client-ts";
import { AuthProvider } from "./auth/AuthContext";
import { RequireAuth } from "./auth/RequireAuth";
import { CallbackPage } from "./auth/CallbackPage";
import { ApiProvider } from "./api/ApiContext";
import { ApiError } from "./api/problem";
import { Layout } from "./shell/Layout";
import { HomeRedirect } from "./shell/HomeRedirect";
import { RequireOperator } from "./shell/RequireOperator";
import { NotFoundPage } from "./shell/NotFoundPage";
import { InvitePage, InviteWelcome } from "./pages/invite/InvitePage";
import { SignUpPage } from "./pages/signup/SignUpPage";
import { adminPages, tenantPages } from "./routes";

/** The route tree: `/callback` and `/signup` outside the shell, every other page signed in and inside it. */
export const routes: RouteObject[] = [
  { path: "/callback", element: <CallbackPage /> },
  { path: "/signup", element: <SignUpPage /> },
  {
    path: "/invite",
    element: (
      <RequireAuth signedOut={<InviteWelcome />}>
        <Layout />
      </RequireAuth>
    ),
    children: [{ index: true, element: <InvitePage /> }],
  },
  {
    element: (
      <RequireAuth>
        <Layout />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <HomeRedirect /> },
      { path: "t/:tenantId", children: tenantPages.map(({ path, element }) => ({ path, element })) },
      {
        path: "admin",
        element: <RequireOperator />,
        children: adminPages.map(({ path, element }) => ({ path, element })),
      },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];

function newQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A 4xx will not change by asking again; other failures get one more try.
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 1,
        refetchOnWindowFocus: false,
      },
    },
  });
}

export function App({ userManager }: { userManager: UserManager }) {
  const [queryClient] = useState(newQueryClient);
  const [router] = useState(() => createBrowserRouter(routes));
  return (
    <AuthProvider userManager={userManager}>
      <ApiProvider>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </ApiProvider>
    </AuthProvider>
  );
}
