using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Piramid.Contracts.Identity;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Data.Configurations;

internal sealed class TenantMemberConfiguration : IEntityTypeConfiguration<TenantMember>
{
    public void Configure(EntityTypeBuilder<TenantMember> builder)
    {
        builder.ToTable("tenant_members");
        // The key is the unique pair; the user's side has its own index for "my memberships".
        builder.HasKey(m => new { m.TenantId, m.UserId });
        builder.HasIndex(m => m.UserId);
        builder.Property(m => m.TenantId).HasMaxLength(64);
        builder.Property(m => m.Role)
            .HasConversion(r => MemberRoles.ToWire(r), s => ParseStored(s))
            .HasMaxLength(16);
        builder.HasOne(m => m.Tenant).WithMany().HasForeignKey(m => m.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }

    private static MemberRole ParseStored(string word) =>
        MemberRoles.TryParse(word, out var role) ? role : throw new InvalidOperationException($"Unknown member role '{word}' in tenant_members.");
}
