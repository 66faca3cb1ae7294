using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Data.Configurations;

internal sealed class StorageSampleConfiguration : IEntityTypeConfiguration<StorageSample>
{
    public void Configure(EntityTypeBuilder<StorageSample> builder)
    {
        builder.HasKey(s => s.TenantId);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class BillingAccountConfiguration : IEntityTypeConfiguration<BillingAccount>
{
    public void Configure(EntityTypeBuilder<BillingAccount> builder)
    {
        builder.HasKey(a => a.TenantId);
        builder.Property(a => a.CustomerId).HasMaxLength(255);
        builder.Property(a => a.SubscriptionId).HasMaxLength(255);
        builder.Property(a => a.SubscribedPlanId).HasMaxLength(64);
        builder.Property(a => a.PaymentStatus).HasMaxLength(16);
        builder.HasIndex(a => a.CustomerId).IsUnique();
        builder.HasIndex(a => a.SubscriptionId);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MeterEventRecordConfiguration : IEntityTypeConfiguration<MeterEventRecord>
{
    public void Configure(EntityTypeBuilder<MeterEventRecord> builder)
    {
        builder.ToTable("meter_events");
        builder.HasKey(e => e.Identifier);
        builder.Property(e => e.Identifier).HasMaxLength(100);
        builder.Property(e => e.Meter).HasMaxLength(32);
        // The sender reads what is unsent; the writer reads each tenant and day's last total.
        builder.HasIndex(e => e.SentAt);
        builder.HasIndex(e => new { e.TenantId, e.Day, e.Meter, e.Total }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StripeEventReceiptConfiguration : IEntityTypeConfiguration<StripeEventReceipt>
{
    public void Configure(EntityTypeBuilder<StripeEventReceipt> builder)
    {
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasMaxLength(255);
        builder.Property(r => r.Type).HasMaxLength(64);
        builder.HasIndex(r => r.ReceivedAt);
    }
}
