using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Piramid.ControlPlane.Data.Migrations
{
    /// <inheritdoc />
    public partial class WalArchiveCollections : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "wal_archive_collections",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    collection_id = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    collection = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    exists_from = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    dropped_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    manifest_sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    manifest_size = table.Column<long>(type: "bigint", nullable: false),
                    checkpoint_file = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    origin_lsn = table.Column<long>(type: "bigint", nullable: false),
                    checkpoint_sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    checkpoint_size = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_wal_archive_collections", x => new { x.tenant_id, x.collection_id });
                    table.ForeignKey(
                        name: "fk_wal_archive_collections_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "wal_archive_collections");
        }
    }
}
