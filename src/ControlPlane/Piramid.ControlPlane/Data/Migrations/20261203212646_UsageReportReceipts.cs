using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Piramid.ControlPlane.Data.Migrations
{
    /// <inheritdoc />
    public partial class UsageReportReceipts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "usage_report_receipts",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_usage_report_receipts", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_usage_report_receipts_received_at",
                table: "usage_report_receipts",
                column: "received_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "usage_report_receipts");
        }
    }
}
