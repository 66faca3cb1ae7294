using System.Net.Http.Headers;
using System.Text;
using Piramid.Contracts.Identity;
using Piramid.Contracts.Problems;
using Piramid.DataPlane.Tests.Support;
using Piramid.TestKit.Http;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// The problems the engine's host raises itself (403, 415, 413) have the catalogue's one shape, with the call's ids,
/// even for a client whose Accept header names neither JSON nor problem+json (the problem-details service skips those).
/// </summary>
public sealed class HostProblemsTests : IAsyncLifetime
{
    private EngineTestHost _host = null!;
    private Piramid.TestKit.Processes.EngineProcess _engine = null!;

    public async Task InitializeAsync()
    {
        _host = new EngineTestHost();
        _engine = await _host.StartAsync();
        using var admin = _engine.CreateClient();
        await admin.CreateCollectionAsync("docs", 3);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/html")]
    public async Task Forbidden_IsTheCatalogueProblem(string accept)
    {
        using var reader = _engine.CreateClient(Roles.ReadOnly);
        using var request = Post("/v1/collections/docs/points", """{"points":[{"id":"a","vector":[1,2,3]}]}""", "application/json", accept);
        using var response = await reader.SendAsync(request);
        await ProblemAssert.MatchesAsync(response, ProblemCatalog.Forbidden);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/html")]
    public async Task WrongContentType_IsTheCatalogueProblem(string accept)
    {
        using var http = _engine.CreateClient();
        using var request = Post("/v1/collections/docs/count", "{}", "text/plain", accept);
        using var response = await http.SendAsync(request);
        var body = await ProblemAssert.MatchesAsync(response, ProblemCatalog.UnsupportedMediaType);
        Assert.Contains("text/plain", (string?)body["detail"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/html")]
    public async Task BodyTooLarge_IsTheCatalogueProblem(string accept)
    {
        using var http = _engine.CreateClient();
        var body = new StringBuilder("{\"points\":[{\"id\":\"x\",\"vector\":[1,2,3],\"metadata\":{\"pad\":\"");
        body.Append('a', (int)Piramid.Contracts.Limits.MaxRequestBodyBytes + 1024).Append("\"}}]}");
        using var request = Post("/v1/collections/docs/points", body.ToString(), "application/json", accept);
        request.Headers.ExpectContinue = true;
        using var response = await http.SendAsync(request);
        var problem = await ProblemAssert.MatchesAsync(response, ProblemCatalog.PayloadTooLarge);
        Assert.Contains("split the batch", (string?)problem["detail"], StringComparison.Ordinal);
    }

    private static HttpRequestMessage Post(string path, string body, string contentType, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8, contentType),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        return request;
    }
}
