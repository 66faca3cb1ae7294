using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Data.Configurations;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        builder.Property(a => a.Before).HasColumnType("jsonb");
        builder.Property(a => a.After).HasColumnType("jsonb");
        builder.HasIndex(a => a.Time);
        builder.HasIndex(a => new { a.TenantId, a.Time });
        builder.Property(a => a.PrevHash).HasMaxLength(64);
        builder.Property(a => a.Hash).HasMaxLength(64);

        // One event per position of a chain; events of no tenant form one chain of their own.
        // Assigned by the insert trigger (migration ControlLogPositions); EF reads it back.
        builder.Property(a => a.LogSeq).HasDefaultValue(0L);
        builder.HasIndex(a => new { a.TenantId, a.LogSeq }).IsUnique().AreNullsDistinct(false);
        builder.HasIndex(a => new { a.TenantId, a.ChainSeq }).IsUnique().AreNullsDistinct(false).HasFilter("chain_seq IS NOT NULL");
    }
}
