import { NavLink, Outlet, useMatch } from "react-router";
import { useAuth } from "../auth/AuthContext";
import { useMe } from "../api/me";
import { PageState } from "../components/PageState";
import { TenantSwitcher } from "./TenantSwitcher";
import { tenantNav, adminNav } from "../routes";

/** The signed-in shell: header (email, Sign out), navigation, tenant switcher, then the page. */
export function Layout() {
  const { signOut } = useAuth();
  const me = useMe();
  const tenantMatch = useMatch("/t/:tenantId/*");
  const current = tenantMatch?.params.tenantId;
  const navTenant = current ?? me.data?.memberships[0]?.tenant_id;

  return (
    <div className="shell">
      <header className="topbar">
        <a className="brand" href="/">
          Piramid
        </a>
        <div className="user">
          {me.data && <span className="email">{me.data.email}</span>}
          <button type="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <div className="body">
        <aside className="sidebar">
          {me.data && <TenantSwitcher memberships={me.data.memberships} current={current} />}
          <nav aria-label="Main">
            <ul>
              {navTenant &&
                tenantNav.map((item) => (
                  <li key={item.path}>
                    <NavLink to={`/t/${encodeURIComponent(navTenant)}/${item.path}`}>{item.label}</NavLink>
                  </li>
                ))}
              {me.data?.platform_admin &&
                adminNav.map((item) => (
                  <li key={item.path}>
                    <NavLink to={`/admin/${item.path}`}>{item.label}</NavLink>
                  </li>
                ))}
            </ul>
          </nav>
        </aside>
        <main className="content">
          <PageState loading={me.isPending} label="Loading your account" error={me.error}>
            <Outlet />
          </PageState>
        </main>
      </div>
    </div>
  );
}
