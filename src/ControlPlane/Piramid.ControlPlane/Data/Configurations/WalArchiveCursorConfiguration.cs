using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Data.Configurations;

internal sealed class WalArchiveCursorConfiguration : IEntityTypeConfiguration<WalArchiveCursor>
{
    public void Configure(EntityTypeBuilder<WalArchiveCursor> builder)
    {
        builder.HasKey(c => c.TenantId);
        builder.Property(c => c.TenantId).HasMaxLength(64);
        builder.Property(c => c.Cursor).HasMaxLength(512);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
