/** Placeholder: this page is coming (issue 17, the portal's admin pages). */
export function TenantDetailPage() {
  return (
    <section>
      <h1>Tenant</h1>
      <p>This page is coming.</p>
    </section>
  );
}
