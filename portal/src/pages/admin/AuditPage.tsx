/** Placeholder: this page is coming (issue 17, the portal's admin pages). */
export function AuditPage() {
  return (
    <section>
      <h1>Audit log</h1>
      <p>This page is coming.</p>
    </section>
  );
}
