namespace Piramid.ControlPlane.Identity;

/// <summary>Identity log events; never log a secret or a token.</summary>
internal static partial class IdentityLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Created OAuth client {ClientId} ({Name}) with roles {Roles}")]
    public static partial void ClientCreated(ILogger logger, string clientId, string name, string roles);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Bootstrap operator {ClientId} already exists; no new secret issued")]
    public static partial void BootstrapExists(ILogger logger, string clientId);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Operator login failed for client {ClientId}")]
    public static partial void LoginFailed(ILogger logger, string clientId);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Operator {ClientId} logged in")]
    public static partial void LoginSucceeded(ILogger logger, string clientId);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Token refused for client {ClientId}: no operators row")]
    public static partial void UnknownOperator(ILogger logger, string clientId);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "Created public client {ClientId} for the authorization code flow")]
    public static partial void PublicClientCreated(ILogger logger, string clientId);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Information, Message = "Updated public client {ClientId}: redirect URIs {RedirectUris}")]
    public static partial void PublicClientUpdated(ILogger logger, string clientId, string redirectUris);
}
