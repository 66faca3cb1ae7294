/** Placeholder: this page is coming (issue 17, the portal's admin pages). */
export function TenantsPage() {
  return (
    <section>
      <h1>Tenants</h1>
      <p>This page is coming.</p>
    </section>
  );
}
