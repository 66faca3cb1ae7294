using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Data.Configurations;

internal sealed class BackupConfiguration : IEntityTypeConfiguration<Backup>
{
    public void Configure(EntityTypeBuilder<Backup> builder)
    {
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Id).HasMaxLength(40);
        builder.Property(b => b.TenantId).HasMaxLength(64);
        builder.Property(b => b.OperationId).HasMaxLength(40);
        builder.Property(b => b.State).HasMaxLength(16);
        builder.Property(b => b.Sha256).HasMaxLength(64);
        builder.Property(b => b.RequestedCollections).HasColumnType("jsonb");
        builder.Property(b => b.Collections).HasColumnType("jsonb");
        builder.HasOne<Tenant>().WithMany().HasForeignKey(b => b.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(b => new { b.TenantId, b.CreatedAt });
    }
}
