import { Outlet } from "react-router";
import { useMe } from "../api/me";
import { PageState } from "../components/PageState";

/** The operators' pages (`/admin/...`) for `platform_admin` users only. */
export function RequireOperator() {
  const me = useMe();
  if (!me.data) return <PageState loading={me.isPending} error={me.error} />;
  if (!me.data.platform_admin) return <PageState error="Forbidden: these pages are for platform operators." />;
  return <Outlet />;
}
