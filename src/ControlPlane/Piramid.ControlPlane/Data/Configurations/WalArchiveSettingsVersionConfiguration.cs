using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Data.Configurations;

internal sealed class WalArchiveSettingsVersionConfiguration : IEntityTypeConfiguration<WalArchiveSettingsVersion>
{
    public void Configure(EntityTypeBuilder<WalArchiveSettingsVersion> builder)
    {
        builder.ToTable("wal_archive_settings");
        builder.HasKey(v => new { v.TenantId, v.CollectionId, v.Sha256 });
        builder.Property(v => v.TenantId).HasMaxLength(64);
        builder.Property(v => v.CollectionId).HasMaxLength(16);
        builder.Property(v => v.Sha256).HasMaxLength(64);

        // Goes with its collection's row.
        builder.HasOne<WalArchiveCollection>().WithMany().HasForeignKey(v => new { v.TenantId, v.CollectionId }).OnDelete(DeleteBehavior.Cascade);
    }
}
