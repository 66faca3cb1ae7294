using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Data.Configurations;

internal sealed class AuditAnchorConfiguration : IEntityTypeConfiguration<AuditAnchorRecord>
{
    public void Configure(EntityTypeBuilder<AuditAnchorRecord> builder)
    {
        builder.ToTable("audit_anchors");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        builder.Property(a => a.TenantId).HasMaxLength(64);
        builder.Property(a => a.EngineHash).HasMaxLength(64);
        builder.Property(a => a.ControlHash).HasMaxLength(64);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.TenantId, a.Id });
    }
}
