using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Piramid.Contracts.Identity;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Data.Configurations;

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        builder.ToTable("invitations");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).HasMaxLength(32);
        builder.Property(i => i.TenantId).HasMaxLength(64);
        builder.HasIndex(i => i.TokenHash).IsUnique();
        builder.HasIndex(i => i.TenantId);
        builder.Property(i => i.Email).HasMaxLength(254);
        builder.Property(i => i.CreatedBy).HasMaxLength(128);
        builder.Property(i => i.Role)
            .HasConversion(r => MemberRoles.ToWire(r), s => ParseStored(s))
            .HasMaxLength(16);
        // Accepting is one conditional UPDATE on this token (accepted_at IS NULL): two racing acceptances use it once.
        builder.Property(i => i.AcceptedAt).IsConcurrencyToken();
        builder.HasOne(i => i.Tenant).WithMany().HasForeignKey(i => i.TenantId).OnDelete(DeleteBehavior.Cascade);
    }

    private static MemberRole ParseStored(string word) =>
        MemberRoles.TryParse(word, out var role) ? role : throw new InvalidOperationException($"Unknown member role '{word}' in invitations.");
}
