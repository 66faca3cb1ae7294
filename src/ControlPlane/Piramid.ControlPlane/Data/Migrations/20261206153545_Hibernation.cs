using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Piramid.ControlPlane.Data.Migrations
{
    /// <inheritdoc />
    public partial class Hibernation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "hibernate_after_seconds",
                table: "plans",
                type: "integer",
                nullable: true);

            migrationBuilder.UpdateData(
                table: "plans",
                keyColumn: "id",
                keyValue: "free",
                column: "hibernate_after_seconds",
                value: null);

            migrationBuilder.UpdateData(
                table: "plans",
                keyColumn: "id",
                keyValue: "standard",
                column: "hibernate_after_seconds",
                value: null);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "hibernate_after_seconds",
                table: "plans");
        }
    }
}
