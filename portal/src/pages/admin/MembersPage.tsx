/** Placeholder: this page is coming (issue 17, the portal's admin pages). */
export function MembersPage() {
  return (
    <section>
      <h1>Members</h1>
      <p>This page is coming.</p>
    </section>
  );
}
