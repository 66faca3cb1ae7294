/** Placeholder: this page is coming (issue 17, the portal's admin pages). */
export function PlansPage() {
  return (
    <section>
      <h1>Plans</h1>
      <p>This page is coming.</p>
    </section>
  );
}
