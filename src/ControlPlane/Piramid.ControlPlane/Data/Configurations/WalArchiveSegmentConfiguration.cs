using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Data.Configurations;

internal sealed class WalArchiveSegmentConfiguration : IEntityTypeConfiguration<WalArchiveSegment>
{
    public void Configure(EntityTypeBuilder<WalArchiveSegment> builder)
    {
        builder.ToTable("wal_archive");
        builder.HasKey(s => new { s.TenantId, s.CollectionId, s.File });
        builder.Property(s => s.TenantId).HasMaxLength(64);
        builder.Property(s => s.CollectionId).HasMaxLength(16);
        builder.Property(s => s.File).HasMaxLength(128);
        builder.Property(s => s.Collection).HasMaxLength(64);
        builder.Property(s => s.Sha256).HasMaxLength(64);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);

        // Restore picks a collection's segments by LSN; retention by time.
        builder.HasIndex(s => new { s.TenantId, s.CollectionId, s.LastLsn });
        builder.HasIndex(s => new { s.TenantId, s.LastTime });
    }
}
