using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Piramid.ControlPlane.Data.Migrations
{
    /// <inheritdoc />
    public partial class ChangeEventsCommitOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The gateway reads the change feed as "ids above the last one seen", and an introspection answer says which
            // ids it reflects; both need ids to commit in order. A transaction that inserts a change takes this lock
            // before its rows draw their ids (a statement trigger fires before the rows are built) and holds it to
            // its commit, so a later id never commits before an earlier one: a reader that sees id n sees every id
            // below n. Change-producing transactions are admin actions; serialising them costs nothing that matters.
            migrationBuilder.Sql("""
                CREATE FUNCTION change_events_commit_order() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_advisory_xact_lock(hashtext('change_events'));
                    RETURN NULL;
                END $$;
                CREATE TRIGGER change_events_commit_order BEFORE INSERT ON change_events
                    FOR EACH STATEMENT EXECUTE FUNCTION change_events_commit_order();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER change_events_commit_order ON change_events;
                DROP FUNCTION change_events_commit_order();
                """);
        }
    }
}
