using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Data.Configurations;

internal sealed class OperationConfiguration : IEntityTypeConfiguration<Operation>
{
    public void Configure(EntityTypeBuilder<Operation> builder)
    {
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).HasMaxLength(40);
        builder.Property(o => o.TenantId).HasMaxLength(64);
        builder.Property(o => o.Kind).HasMaxLength(16);
        builder.Property(o => o.State).HasMaxLength(16);
        builder.Property(o => o.Owner).HasMaxLength(64);
        builder.Property(o => o.EngineRestoreId).HasMaxLength(64);
        builder.Property(o => o.Request).HasColumnType("jsonb");
        builder.Property(o => o.Error).HasColumnType("jsonb");
        builder.Property(o => o.Result).HasColumnType("jsonb");
        builder.HasOne<Tenant>().WithMany().HasForeignKey(o => o.TenantId).OnDelete(DeleteBehavior.Cascade);

        // The runner's claim scans pending and running rows only; finished ones are history.
        builder.HasIndex(o => new { o.State, o.CreatedAt }).HasFilter("state in ('pending', 'running')");
        builder.HasIndex(o => new { o.TenantId, o.CreatedAt });
    }
}
