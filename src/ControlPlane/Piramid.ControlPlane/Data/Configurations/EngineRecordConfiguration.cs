using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Data.Configurations;

internal sealed class EngineRecordConfiguration : IEntityTypeConfiguration<EngineRecord>
{
    public void Configure(EntityTypeBuilder<EngineRecord> builder)
    {
        builder.ToTable("engines");
        builder.HasKey(e => e.TenantId);
        builder.Property(e => e.State).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(e => e.OsUserId).IsUnique(); // One tenant per uid: a uid is what keeps tenants' files apart.
        builder.HasOne<Tenant>().WithOne().HasForeignKey<EngineRecord>(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
