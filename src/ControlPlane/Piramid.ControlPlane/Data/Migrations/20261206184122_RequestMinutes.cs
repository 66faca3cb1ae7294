using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Piramid.ControlPlane.Data.Migrations
{
    /// <inheritdoc />
    public partial class RequestMinutes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "request_minutes",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "text", nullable: false),
                    minute = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    requests = table.Column<long>(type: "bigint", nullable: false),
                    client_errors = table.Column<long>(type: "bigint", nullable: false),
                    server_errors = table.Column<long>(type: "bigint", nullable: false),
                    latency_buckets = table.Column<long[]>(type: "bigint[]", nullable: false),
                    storage_bytes = table.Column<long>(type: "bigint", nullable: true),
                    memory_bytes = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_request_minutes", x => new { x.tenant_id, x.minute });
                });

            migrationBuilder.CreateIndex(
                name: "ix_request_minutes_minute",
                table: "request_minutes",
                column: "minute");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "request_minutes");
        }
    }
}
