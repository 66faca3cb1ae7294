using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Data.Configurations;

internal sealed class WalArchiveCollectionConfiguration : IEntityTypeConfiguration<WalArchiveCollection>
{
    public void Configure(EntityTypeBuilder<WalArchiveCollection> builder)
    {
        builder.ToTable("wal_archive_collections");
        builder.HasKey(c => new { c.TenantId, c.CollectionId });
        builder.Property(c => c.TenantId).HasMaxLength(64);
        builder.Property(c => c.CollectionId).HasMaxLength(16);
        builder.Property(c => c.Collection).HasMaxLength(64);
        builder.Property(c => c.ManifestSha256).HasMaxLength(64);
        builder.Property(c => c.CheckpointFile).HasMaxLength(128);
        builder.Property(c => c.CheckpointSha256).HasMaxLength(64);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
