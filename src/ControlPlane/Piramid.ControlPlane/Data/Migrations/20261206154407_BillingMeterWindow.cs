using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Piramid.ControlPlane.Data.Migrations
{
    /// <inheritdoc />
    public partial class BillingMeterWindow : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "first_sent_at",
                table: "meter_events",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "unconfirmed",
                table: "meter_events",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "cancel_at_period_end",
                table: "billing_accounts",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "first_sent_at",
                table: "meter_events");

            migrationBuilder.DropColumn(
                name: "unconfirmed",
                table: "meter_events");

            migrationBuilder.DropColumn(
                name: "cancel_at_period_end",
                table: "billing_accounts");
        }
    }
}
