using Microsoft.Extensions.Options;

namespace Piramid.ControlPlane.Members;

/// <summary>Registers the members and invitations services and their options.</summary>
public static class MembersExtensions
{
    /// <summary>Adds <see cref="MemberService"/>, <see cref="InvitationService"/> and <see cref="InvitationOptions"/> (validated at start).</summary>
    public static WebApplicationBuilder AddMembers(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<InvitationOptions>().BindConfiguration(InvitationOptions.Section)
            .Validate(o => o.Lifetime > TimeSpan.Zero && o.Lifetime <= InvitationOptions.MaxLifetime, "Invitations:Lifetime must be more than 0 and at most 30 days.")
            .ValidateOnStart();
        builder.Services.AddScoped<MemberService>();
        builder.Services.AddScoped<InvitationService>();
        return builder;
    }
}
