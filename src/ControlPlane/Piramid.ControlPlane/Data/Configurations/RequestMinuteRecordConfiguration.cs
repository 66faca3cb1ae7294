using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Data.Configurations;

internal sealed class RequestMinuteRecordConfiguration : IEntityTypeConfiguration<RequestMinuteRecord>
{
    public void Configure(EntityTypeBuilder<RequestMinuteRecord> builder)
    {
        builder.ToTable("request_minutes");
        // One row per tenant and minute: reports and samples add to it with INSERT ... ON CONFLICT DO UPDATE.
        builder.HasKey(r => new { r.TenantId, r.Minute });
        // The operators' summary and the cleanup read by time across tenants.
        builder.HasIndex(r => r.Minute);
    }
}
