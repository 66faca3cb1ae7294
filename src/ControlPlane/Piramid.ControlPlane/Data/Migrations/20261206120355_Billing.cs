using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Piramid.ControlPlane.Data.Migrations
{
    /// <inheritdoc />
    public partial class Billing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "storage_byte_seconds",
                table: "usage_records",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "billing_accounts",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "character varying(64)", nullable: false),
                    customer_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    subscription_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    subscribed_plan_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    payment_status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    status_changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    past_due_since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_billing_accounts", x => x.tenant_id);
                    table.ForeignKey(
                        name: "fk_billing_accounts_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "meter_events",
                columns: table => new
                {
                    identifier = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    tenant_id = table.Column<string>(type: "character varying(64)", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    meter = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    value = table.Column<long>(type: "bigint", nullable: false),
                    total = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_meter_events", x => x.identifier);
                    table.ForeignKey(
                        name: "fk_meter_events_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "storage_samples",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "character varying(64)", nullable: false),
                    sampled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    bytes = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_storage_samples", x => x.tenant_id);
                    table.ForeignKey(
                        name: "fk_storage_samples_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "stripe_event_receipts",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stripe_event_receipts", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_billing_accounts_customer_id",
                table: "billing_accounts",
                column: "customer_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_billing_accounts_subscription_id",
                table: "billing_accounts",
                column: "subscription_id");

            migrationBuilder.CreateIndex(
                name: "ix_meter_events_sent_at",
                table: "meter_events",
                column: "sent_at");

            migrationBuilder.CreateIndex(
                name: "ix_meter_events_tenant_id_day_meter_total",
                table: "meter_events",
                columns: new[] { "tenant_id", "day", "meter", "total" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_stripe_event_receipts_received_at",
                table: "stripe_event_receipts",
                column: "received_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "billing_accounts");

            migrationBuilder.DropTable(
                name: "meter_events");

            migrationBuilder.DropTable(
                name: "storage_samples");

            migrationBuilder.DropTable(
                name: "stripe_event_receipts");

            migrationBuilder.DropColumn(
                name: "storage_byte_seconds",
                table: "usage_records");
        }
    }
}
