using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Data.Configurations;

internal sealed class AuditSinkConfiguration : IEntityTypeConfiguration<AuditSinkRecord>
{
    public void Configure(EntityTypeBuilder<AuditSinkRecord> builder)
    {
        builder.ToTable("audit_sinks");
        builder.HasKey(s => s.TenantId);
        builder.Property(s => s.TenantId).HasMaxLength(64);
        builder.Property(s => s.Kind).HasMaxLength(16);
        builder.Property(s => s.Endpoint).HasMaxLength(2048);
        builder.Property(s => s.Bucket).HasMaxLength(63);
        builder.Property(s => s.Region).HasMaxLength(64);
        builder.Property(s => s.Prefix).HasMaxLength(256);
        builder.Property(s => s.AccessKeyId).HasMaxLength(256);
        builder.Property(s => s.Host).HasMaxLength(253);
        builder.Property(s => s.LastError).HasMaxLength(1024);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
