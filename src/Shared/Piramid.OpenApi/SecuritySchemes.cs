using System.Text.Json.Nodes;
using Piramid.Contracts;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Routes;

namespace Piramid.OpenApi;

/// <summary>How callers authenticate (docs/API.md, "Authentication"), and which way each route takes.</summary>
internal static class SecuritySchemes
{
    private const string ApiKeyHeader = "apiKey";
    private const string ApiKeyBearer = "bearerApiKey";
    private const string OAuth2 = "oauth2";

    /// <summary>The <c>components/securitySchemes</c>.</summary>
    public static JsonObject Components() => new()
    {
        [ApiKeyHeader] = new JsonObject
        {
            ["type"] = "apiKey",
            ["in"] = "header",
            ["name"] = HeaderNames.ApiKey,
            ["description"] = "A tenant API key `pk_<id>_<secret>` in the `Api-Key` header.",
        },
        [ApiKeyBearer] = new JsonObject
        {
            ["type"] = "http",
            ["scheme"] = "bearer",
            ["description"] = "The same API key as `Authorization: Bearer <key>` (the scheme name is case-insensitive).",
        },
        [OAuth2] = new JsonObject
        {
            ["type"] = "oauth2",
            ["description"] = "An access token (JWT) from `POST /connect/token`: client credentials for machines, authorization code with PKCE (S256) for people.",
            ["flows"] = new JsonObject
            {
                ["clientCredentials"] = new JsonObject { ["tokenUrl"] = "/connect/token", ["scopes"] = new JsonObject() },
                ["authorizationCode"] = new JsonObject
                {
                    ["authorizationUrl"] = "/connect/authorize",
                    ["tokenUrl"] = "/connect/token",
                    ["refreshUrl"] = "/connect/token",
                    ["scopes"] = new JsonObject(),
                },
            },
        },
    };

    /// <summary>A member's data route (<see cref="MemberRoutes"/>): a person's access token, from the code flow.</summary>
    public static JsonArray Member() => [new JsonObject { [OAuth2] = new JsonArray() }];

    /// <summary>
    /// The ways to call <paramref name="route"/>: none when it needs no credential, an operator token for the
    /// operators' routes, an API key (header or bearer) for the rest.
    /// </summary>
    public static JsonArray For(PublicRoute route) => route.Role switch
    {
        null => [],
        Roles.PlatformAdmin => [new JsonObject { [OAuth2] = new JsonArray() }],
        _ => [new JsonObject { [ApiKeyHeader] = new JsonArray() }, new JsonObject { [ApiKeyBearer] = new JsonArray() }],
    };
}
