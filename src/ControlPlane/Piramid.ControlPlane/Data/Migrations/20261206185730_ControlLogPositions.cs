using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Piramid.ControlPlane.Data.Migrations
{
    /// <inheritdoc />
    public partial class ControlLogPositions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "log_seq",
                table: "audit_events",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "log_seq",
                table: "audit_chain_heads",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // Existing events: positions in id order per tenant (and one log for events of no tenant); every head
            // holds its log's newest position, a head created for logs of unchained events only.
            migrationBuilder.Sql("""
                UPDATE audit_events a SET log_seq = n.pos
                FROM (SELECT id, row_number() OVER (PARTITION BY coalesce(tenant_id, '') ORDER BY id) AS pos FROM audit_events) n
                WHERE a.id = n.id;
                INSERT INTO audit_chain_heads (chain, seq, hash, log_seq)
                SELECT DISTINCT coalesce(tenant_id, ''), 0, repeat('0', 64), 0 FROM audit_events
                ON CONFLICT (chain) DO NOTHING;
                UPDATE audit_chain_heads h SET log_seq = m.top
                FROM (SELECT coalesce(tenant_id, '') AS chain, max(log_seq) AS top FROM audit_events GROUP BY 1) m
                WHERE h.chain = m.chain;
                """);

            // Every insert, whatever its path (EF, the retention fold's SQL), takes the next position of its tenant's
            // log from the head row, whose lock it holds to commit: positions commit in order, no reader ever sees one
            // before a lower one, and none is skipped (docs/design/audit-log.md "Positions").
            migrationBuilder.Sql("""
                CREATE FUNCTION audit_events_log_seq() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO audit_chain_heads (chain, seq, hash, log_seq) VALUES (coalesce(NEW.tenant_id, ''), 0, repeat('0', 64), 0)
                    ON CONFLICT (chain) DO NOTHING;
                    UPDATE audit_chain_heads SET log_seq = log_seq + 1 WHERE chain = coalesce(NEW.tenant_id, '')
                    RETURNING log_seq INTO NEW.log_seq;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER audit_events_log_seq BEFORE INSERT ON audit_events
                    FOR EACH ROW EXECUTE FUNCTION audit_events_log_seq();
                """);

            // Sink cursors held a chain sequence (or the row id of an unchained event): continue from the lower of the
            // two candidates' positions, so nothing is skipped (a few events may be delivered again: at-least-once).
            migrationBuilder.Sql("""
                UPDATE audit_sinks s SET control_cursor = coalesce((
                    SELECT min(a.log_seq) FROM audit_events a
                    WHERE a.tenant_id = s.tenant_id AND (a.chain_seq = s.control_cursor OR a.id = s.control_cursor)), 0)
                WHERE s.control_cursor > 0;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_tenant_id_log_seq",
                table: "audit_events",
                columns: new[] { "tenant_id", "log_seq" },
                unique: true)
                .Annotation("Npgsql:NullsDistinct", false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER audit_events_log_seq ON audit_events;
                DROP FUNCTION audit_events_log_seq();
                """);

            migrationBuilder.DropIndex(
                name: "ix_audit_events_tenant_id_log_seq",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "log_seq",
                table: "audit_events");

            migrationBuilder.DropColumn(
                name: "log_seq",
                table: "audit_chain_heads");
        }
    }
}
