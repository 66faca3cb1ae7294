using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Data.Configurations;

internal sealed class PlanConfiguration : IEntityTypeConfiguration<Plan>
{
    public void Configure(EntityTypeBuilder<Plan> builder)
    {
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasMaxLength(64);
        builder.Property(p => p.Name).HasMaxLength(128);

        // Reference data shipped with the schema; operators change them through PUT /v1/plans/{id}.
        var seeded = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        builder.HasData(
            new Plan
            {
                Id = "free",
                Name = "Free",
                MaxCollections = 5,
                MaxPoints = 100_000,
                MaxStorageBytes = 1L << 30,
                MaxDimension = 4096,
                ReadRatePerSecond = 50,
                ReadBurst = 100,
                WriteRatePerSecond = 20,
                WriteBurst = 40,
                MonthlyReadUnits = 1_000_000,
                MonthlyWriteUnits = 1_000_000,
                UpdatedAt = seeded,
            },
            new Plan
            {
                Id = "standard",
                Name = "Standard",
                MaxCollections = 50,
                MaxPoints = 10_000_000,
                MaxStorageBytes = 50L << 30,
                MaxDimension = 20_000,
                ReadRatePerSecond = 500,
                ReadBurst = 1000,
                WriteRatePerSecond = 200,
                WriteBurst = 400,
                MonthlyReadUnits = 100_000_000,
                MonthlyWriteUnits = 50_000_000,
                BackupIntervalHours = 24,
                PitrWindowHours = 24,
                UpdatedAt = seeded,
            });
    }
}
