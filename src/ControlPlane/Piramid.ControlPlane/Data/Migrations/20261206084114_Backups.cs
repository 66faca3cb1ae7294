using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Piramid.ControlPlane.Data.Migrations
{
    /// <inheritdoc />
    public partial class Backups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "backup_interval_hours",
                table: "plans",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "backup_retention_days",
                table: "plans",
                type: "integer",
                nullable: false,
                defaultValue: 7); // PlanDefaults.BackupRetentionDays for plans operators made

            migrationBuilder.AddColumn<int>(
                name: "pitr_window_hours",
                table: "plans",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "backups",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    operation_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    scheduled = table.Column<bool>(type: "boolean", nullable: false),
                    requested_collections = table.Column<string>(type: "jsonb", nullable: true),
                    collections = table.Column<string>(type: "jsonb", nullable: true),
                    lsn = table.Column<long>(type: "bigint", nullable: true),
                    size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    snapshot_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_backups", x => x.id);
                    table.ForeignKey(
                        name: "fk_backups_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "operations",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    request = table.Column<string>(type: "jsonb", nullable: false),
                    percent = table.Column<double>(type: "double precision", nullable: false),
                    bytes = table.Column<long>(type: "bigint", nullable: false),
                    points = table.Column<long>(type: "bigint", nullable: false),
                    error = table.Column<string>(type: "jsonb", nullable: true),
                    result = table.Column<string>(type: "jsonb", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    heartbeat_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    owner = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_operations", x => x.id);
                    table.ForeignKey(
                        name: "fk_operations_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "wal_archive",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    collection_id = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    file = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    collection = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    first_lsn = table.Column<long>(type: "bigint", nullable: false),
                    last_lsn = table.Column<long>(type: "bigint", nullable: false),
                    first_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    archived_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_wal_archive", x => new { x.tenant_id, x.collection_id, x.file });
                    table.ForeignKey(
                        name: "fk_wal_archive_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "wal_archive_cursors",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    cursor = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_wal_archive_cursors", x => x.tenant_id);
                    table.ForeignKey(
                        name: "fk_wal_archive_cursors_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.UpdateData(
                table: "plans",
                keyColumn: "id",
                keyValue: "free",
                columns: new[] { "backup_interval_hours", "backup_retention_days", "pitr_window_hours" },
                values: new object[] { null, 7, 0 });

            migrationBuilder.UpdateData(
                table: "plans",
                keyColumn: "id",
                keyValue: "standard",
                columns: new[] { "backup_interval_hours", "backup_retention_days", "pitr_window_hours" },
                values: new object[] { 24, 7, 24 });

            migrationBuilder.CreateIndex(
                name: "ix_backups_tenant_id_created_at",
                table: "backups",
                columns: new[] { "tenant_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_operations_state_created_at",
                table: "operations",
                columns: new[] { "state", "created_at" },
                filter: "state in ('pending', 'running')");

            migrationBuilder.CreateIndex(
                name: "ix_operations_tenant_id_created_at",
                table: "operations",
                columns: new[] { "tenant_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_wal_archive_tenant_id_collection_id_last_lsn",
                table: "wal_archive",
                columns: new[] { "tenant_id", "collection_id", "last_lsn" });

            migrationBuilder.CreateIndex(
                name: "ix_wal_archive_tenant_id_last_time",
                table: "wal_archive",
                columns: new[] { "tenant_id", "last_time" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "backups");

            migrationBuilder.DropTable(
                name: "operations");

            migrationBuilder.DropTable(
                name: "wal_archive");

            migrationBuilder.DropTable(
                name: "wal_archive_cursors");

            migrationBuilder.DropColumn(
                name: "backup_interval_hours",
                table: "plans");

            migrationBuilder.DropColumn(
                name: "backup_retention_days",
                table: "plans");

            migrationBuilder.DropColumn(
                name: "pitr_window_hours",
                table: "plans");
        }
    }
}
