using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using Piramid.Contracts.Identity;
using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Data.Entities;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Piramid.ControlPlane.Identity;

/// <summary>
/// Creates OAuth clients: the bootstrap operator (once), machine clients (gateway, Terraform, CI) and the
/// portal's public client. Each confidential client is an OpenIddict application (secret stored hashed)
/// plus an <c>operators</c> row holding its roles, written in one transaction.
/// </summary>
public sealed class OperatorBootstrapper(
    ControlPlaneDbContext db,
    IOpenIddictApplicationManager applications,
    TimeProvider timeProvider,
    ILogger<OperatorBootstrapper> logger)
{
    /// <summary>Client id of the first operator.</summary>
    public const string BootstrapClientId = "piramid-admin";

    private const int SecretBytes = 32;

    private static readonly HashSet<string> PlatformRoles = new(StringComparer.Ordinal) { Roles.PlatformAdmin, IdentityClaims.GatewayRole };
    private static readonly HashSet<string> TenantRoles = new(StringComparer.Ordinal) { Roles.Admin, Roles.ReadWrite, Roles.ReadOnly };

    /// <summary>
    /// Creates the bootstrap operator (role <c>platform_admin</c>) unless it exists. Returns its credentials
    /// only when it created them, so <c>./piramid up</c> prints the secret exactly once; null afterwards.
    /// </summary>
    /// <remarks>Run it from one place (the launcher); two concurrent first runs make one of them fail on the unique client id.</remarks>
    public async Task<ClientCredentials?> EnsureBootstrapOperatorAsync(CancellationToken cancellationToken = default)
    {
        if (await applications.FindByClientIdAsync(BootstrapClientId, cancellationToken) is not null)
        {
            IdentityLog.BootstrapExists(logger, BootstrapClientId);
            return null;
        }

        return await CreateConfidentialClientAsync(BootstrapClientId, "Bootstrap operator", [Roles.PlatformAdmin], null, cancellationToken);
    }

    /// <summary>
    /// Creates a confidential client for the client credentials flow. Platform clients take the roles
    /// <c>platform_admin</c> and/or <c>gateway</c>; a tenant's client (<paramref name="tenantId"/> set) takes
    /// tenant roles and gets a <c>tenant</c> claim. Returns the secret, which is not recoverable later.
    /// </summary>
    public async Task<ClientCredentials> CreateMachineClientAsync(
        string name,
        IReadOnlyCollection<string> roles,
        string? tenantId = null,
        string? clientId = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(roles);
        var allowed = tenantId is null ? PlatformRoles : TenantRoles;
        if (roles.Count == 0 || roles.Any(r => !allowed.Contains(r)))
        {
            throw new ArgumentException($"Roles must be a non-empty subset of {string.Join(", ", allowed)}.", nameof(roles));
        }

        if (tenantId is not null && !await db.Tenants.AnyAsync(t => t.Id == tenantId, cancellationToken))
        {
            throw new ArgumentException($"Tenant {tenantId} does not exist.", nameof(tenantId));
        }

        clientId ??= "m_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        if (await applications.FindByClientIdAsync(clientId, cancellationToken) is not null)
        {
            throw new InvalidOperationException($"Client {clientId} already exists.");
        }

        return await CreateConfidentialClientAsync(clientId, name, roles, tenantId, cancellationToken);
    }

    /// <summary>
    /// Registers a public client (the portal) for the authorization code flow with PKCE required, refresh tokens
    /// (<c>offline_access</c>), revocation and end session, or brings an existing one's redirect and post-logout
    /// URIs and permissions up to date (the gateway's address can change between runs). Idempotent: returns true when
    /// it created or changed the client, false when it was already so. Post-logout URIs default to the redirect URIs.
    /// </summary>
    public async Task<bool> EnsurePublicClientAsync(
        string clientId,
        string name,
        IReadOnlyCollection<Uri> redirectUris,
        IReadOnlyCollection<Uri>? postLogoutRedirectUris = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        ArgumentNullException.ThrowIfNull(redirectUris);
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            DisplayName = name,
            ClientType = ClientTypes.Public,
            // First-party portal: no consent screen.
            ConsentType = ConsentTypes.Implicit,
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.Endpoints.Revocation,
                Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
                // openid and offline_access need no scope permission; these two are what OIDC clients ask for by habit.
                Permissions.Scopes.Profile,
                Permissions.Scopes.Email,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        descriptor.RedirectUris.UnionWith(redirectUris);
        descriptor.PostLogoutRedirectUris.UnionWith(postLogoutRedirectUris ?? redirectUris);

        var existing = await applications.FindByClientIdAsync(clientId, cancellationToken);
        if (existing is null)
        {
            await applications.CreateAsync(descriptor, cancellationToken);
            IdentityLog.PublicClientCreated(logger, clientId);
            return true;
        }

        var current = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(current, existing, cancellationToken);
        if (current.ClientType == ClientTypes.Public
            && current.RedirectUris.SetEquals(descriptor.RedirectUris)
            && current.PostLogoutRedirectUris.SetEquals(descriptor.PostLogoutRedirectUris)
            && current.Permissions.SetEquals(descriptor.Permissions)
            && current.Requirements.SetEquals(descriptor.Requirements))
        {
            return false;
        }

        await applications.UpdateAsync(existing, descriptor, cancellationToken);
        IdentityLog.PublicClientUpdated(logger, clientId, string.Join(' ', descriptor.RedirectUris));
        return true;
    }

    private async Task<ClientCredentials> CreateConfidentialClientAsync(
        string clientId, string name, IReadOnlyCollection<string> roles, string? tenantId, CancellationToken cancellationToken)
    {
        var secret = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(SecretBytes));
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            DisplayName = name,
            ClientType = ClientTypes.Confidential,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        };
        if (tenantId is not null)
        {
            descriptor.Properties[IdentityClaims.TenantProperty] = JsonSerializer.SerializeToElement(tenantId);
        }

        // OpenIddict's EF Core store works on this same scoped context, so both rows commit or neither.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await applications.CreateAsync(descriptor, cancellationToken);
        db.Operators.Add(new Operator
        {
            Id = "op_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            Name = name,
            ClientId = clientId,
            Roles = [.. roles],
            CreatedAt = timeProvider.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        IdentityLog.ClientCreated(logger, clientId, name, string.Join(',', roles));
        return new ClientCredentials(clientId, secret);
    }
}
