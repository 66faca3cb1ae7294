import { createContext, useContext, useMemo, type ReactNode } from "react";
import { createApi, type Api } from "./client";
import { useAuth } from "../auth/AuthContext";

/** Exported for tests, which give pages a client of a loopback server. */
export const ApiContext = createContext<Api | null>(null);

/** Gives the pages one typed client carrying the signed-in person's access token. */
export function ApiProvider({ children, baseUrl = window.location.origin }: { children: ReactNode; baseUrl?: string }) {
  const { userManager } = useAuth();
  const api = useMemo(
    () =>
      createApi({
        baseUrl,
        getAccessToken: async () => (await userManager.getUser())?.access_token,
        // An access token the gateway refuses: forget it, RequireAuth then signs in again.
        onUnauthorized: () => void userManager.removeUser(),
      }),
    [baseUrl, userManager],
  );
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error("useApi outside ApiProvider");
  return api;
}
