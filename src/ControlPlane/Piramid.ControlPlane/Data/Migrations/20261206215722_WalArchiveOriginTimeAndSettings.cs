using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Piramid.ControlPlane.Data.Migrations
{
    /// <inheritdoc />
    public partial class WalArchiveOriginTimeAndSettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "origin_at",
                table: "wal_archive_collections",
                type: "timestamp with time zone",
                nullable: true);

            // Origins archived before the column: copied at some time before now, so now is a safe earliest restorable point.
            migrationBuilder.Sql("UPDATE wal_archive_collections SET origin_at = now() WHERE manifest_sha256 IS NOT NULL;");

            migrationBuilder.CreateTable(
                name: "wal_archive_settings",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    collection_id = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    written_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_wal_archive_settings", x => new { x.tenant_id, x.collection_id, x.sha256 });
                    table.ForeignKey(
                        name: "fk_wal_archive_settings_wal_archive_collections_tenant_id_coll",
                        columns: x => new { x.tenant_id, x.collection_id },
                        principalTable: "wal_archive_collections",
                        principalColumns: new[] { "tenant_id", "collection_id" },
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "wal_archive_settings");

            migrationBuilder.DropColumn(
                name: "origin_at",
                table: "wal_archive_collections");
        }
    }
}
