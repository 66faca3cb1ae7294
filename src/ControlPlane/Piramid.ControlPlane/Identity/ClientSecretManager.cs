using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.EntityFrameworkCore.Models;

namespace Piramid.ControlPlane.Identity;

/// <summary>
/// OpenIddict's application manager with two additions for <see cref="UnknownClientHashing"/>: it hashes a
/// presented secret against a dummy hash (the same PBKDF2 work as a real check), and it counts secret checks
/// so a test can prove that an unknown client id costs the same hashing as a wrong secret.
/// </summary>
public sealed class ClientSecretManager(
    IOpenIddictApplicationCache<OpenIddictEntityFrameworkCoreApplication> cache,
    ILogger<OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<OpenIddictEntityFrameworkCoreApplication> store,
    ClientSecretChecks checks)
    : OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>(cache, logger, options, store)
{
    /// <summary>Checks <paramref name="secret"/> against a hash of a random secret: always false, never cheaper.</summary>
    public async ValueTask CheckAgainstDummyAsync(string secret, CancellationToken cancellationToken)
    {
        var dummy = await checks.DummyHashAsync(() => ObfuscateClientSecretAsync(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), cancellationToken));
        await ValidateClientSecretAsync(secret, dummy, cancellationToken);
    }

    /// <inheritdoc />
    protected override ValueTask<bool> ValidateClientSecretAsync(string secret, string comparand, CancellationToken cancellationToken = default)
    {
        checks.Count();
        return base.ValidateClientSecretAsync(secret, comparand, cancellationToken);
    }
}
