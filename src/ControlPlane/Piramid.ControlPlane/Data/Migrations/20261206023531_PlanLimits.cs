using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Piramid.ControlPlane.Data.Migrations
{
    /// <inheritdoc />
    public partial class PlanLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Existing plans, operators' own included, get the values the options they replace had (PlanDefaults).
            migrationBuilder.AddColumn<int>(
                name: "audit_retention_days",
                table: "plans",
                type: "integer",
                nullable: false,
                defaultValue: 365);

            migrationBuilder.AddColumn<long>(
                name: "engine_memory_bytes",
                table: "plans",
                type: "bigint",
                nullable: false,
                defaultValue: 2147483648L);

            migrationBuilder.AddColumn<int>(
                name: "max_requests_in_flight",
                table: "plans",
                type: "integer",
                nullable: false,
                defaultValue: 64);

            migrationBuilder.UpdateData(
                table: "plans",
                keyColumn: "id",
                keyValue: "free",
                columns: new[] { "audit_retention_days", "engine_memory_bytes", "max_requests_in_flight" },
                values: new object[] { 365, 2147483648L, 64 });

            migrationBuilder.UpdateData(
                table: "plans",
                keyColumn: "id",
                keyValue: "standard",
                columns: new[] { "audit_retention_days", "engine_memory_bytes", "max_requests_in_flight" },
                values: new object[] { 365, 2147483648L, 64 });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "audit_retention_days",
                table: "plans");

            migrationBuilder.DropColumn(
                name: "engine_memory_bytes",
                table: "plans");

            migrationBuilder.DropColumn(
                name: "max_requests_in_flight",
                table: "plans");
        }
    }
}
