using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Data.Configurations;

internal sealed class UsageReportReceiptConfiguration : IEntityTypeConfiguration<UsageReportReceipt>
{
    public void Configure(EntityTypeBuilder<UsageReportReceipt> builder)
    {
        // Written with INSERT ... ON CONFLICT DO NOTHING, so a repeated id tells the report was applied.
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasMaxLength(64);
        builder.HasIndex(r => r.ReceivedAt);
    }
}
