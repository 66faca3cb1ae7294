using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Piramid.ControlPlane.Identity;

/// <summary>
/// OpenIddict words an unknown client id ("The specified 'client_id' is invalid.") differently from a wrong
/// secret, with a different error URI: one body for both, so the answer does not reveal which ids exist.
/// </summary>
internal sealed class UniformClientErrors : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    /// <summary>The one description of any client authentication failure.</summary>
    public const string Description = "The client credentials are invalid.";

    /// <summary>Registration, before the response is written.</summary>
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
        .UseSingletonHandler<UniformClientErrors>()
        .SetOrder(int.MinValue + 100_000)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Response.Error == Errors.InvalidClient)
        {
            context.Response.ErrorDescription = Description;
            context.Response.ErrorUri = null;
        }

        return ValueTask.CompletedTask;
    }
}
