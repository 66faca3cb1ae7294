using System.Text.Json.Nodes;
using Piramid.Contracts;
using Piramid.Contracts.Problems;
using Xunit;

namespace Piramid.TestKit.Http;

/// <summary>
/// The one error shape, asserted the same way for every process (gateway, control plane, engine): problem+json,
/// the catalogue's type, title and status, <c>instance</c> = the path the client called, <c>trace_id</c> (never
/// <c>traceId</c>), and a <c>request_id</c> equal to the <c>X-Request-Id</c> header.
/// </summary>
public static class ProblemAssert
{
    /// <summary>Asserts the shape and returns the body for further checks (the detail, extensions).</summary>
    /// <param name="response">The answer; its request message gives the path the client called.</param>
    /// <param name="kind">The catalogue entry expected.</param>
    /// <param name="instance">The path the client called, when it differs from the request message's (a raw request).</param>
    public static async Task<JsonObject> MatchesAsync(HttpResponseMessage response, ProblemKind kind, string? instance = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(kind);
        var text = await response.Content.ReadAsStringAsync();
        var request = response.RequestMessage;
        var why = $"{request?.Method} {request?.RequestUri}: {(int)response.StatusCode} {text}";
        Assert.True(kind.Status == (int)response.StatusCode, why);
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", why);
        var body = JsonNode.Parse(text) as JsonObject ?? throw new Xunit.Sdk.XunitException("Not a JSON object: " + why);
        Assert.True(kind.Type == (string?)body["type"], why);
        Assert.True(kind.Title == (string?)body["title"], why);
        Assert.True(kind.Status == (int?)body["status"], why);
        Assert.True(!string.IsNullOrWhiteSpace((string?)body["detail"]), why);
        Assert.True((instance ?? request?.RequestUri?.AbsolutePath) == (string?)body["instance"], why);
        Assert.True(!string.IsNullOrWhiteSpace((string?)body["trace_id"]), why);
        Assert.True(!body.ContainsKey("traceId") && !body.ContainsKey("requestId"), why);
        var requestId = (string?)body["request_id"];
        Assert.True(!string.IsNullOrWhiteSpace(requestId), why);
        Assert.True(response.Headers.TryGetValues(HeaderNames.RequestId, out var header) && header.Single() == requestId, why);
        return body;
    }
}
