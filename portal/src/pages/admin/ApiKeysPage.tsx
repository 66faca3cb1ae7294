/** Placeholder: this page is coming (issue 17, the portal's admin pages). */
export function ApiKeysPage() {
  return (
    <section>
      <h1>API keys</h1>
      <p>This page is coming.</p>
    </section>
  );
}
