using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Piramid.ControlPlane.Data.Migrations
{
    /// <inheritdoc />
    public partial class EngineIsolation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "os_user_id",
                table: "engines",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "process_start_time",
                table: "engines",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_engines_os_user_id",
                table: "engines",
                column: "os_user_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_engines_os_user_id",
                table: "engines");

            migrationBuilder.DropColumn(
                name: "os_user_id",
                table: "engines");

            migrationBuilder.DropColumn(
                name: "process_start_time",
                table: "engines");
        }
    }
}
