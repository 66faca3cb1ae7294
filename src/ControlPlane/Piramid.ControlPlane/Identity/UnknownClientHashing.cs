using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Piramid.ControlPlane.Identity;

/// <summary>
/// Runs just before OpenIddict rejects an unknown <c>client_id</c> and spends the same PBKDF2 work on the
/// presented secret as a real client's check would, so the time of a refusal does not tell whether the id
/// exists. <see cref="UniformClientErrors"/> makes the two refusals' bodies identical.
/// </summary>
internal sealed class UnknownClientHashing(IOpenIddictApplicationManager applications, ClientSecretManager secrets) : IOpenIddictServerHandler<ProcessAuthenticationContext>
{
    /// <summary>Registration, ordered right before OpenIddict's own client id check.</summary>
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
        .UseScopedHandler<UnknownClientHashing>()
        .SetOrder(OpenIddictServerHandlers.ValidateClientId.Descriptor.Order - 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public async ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.ClientId is { Length: > 0 } clientId && context.ClientSecret is { Length: > 0 } secret
            && await applications.FindByClientIdAsync(clientId, context.CancellationToken) is null)
        {
            await secrets.CheckAgainstDummyAsync(secret, context.CancellationToken);
        }
    }
}
