using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Piramid.Contracts.Problems;
using Piramid.ServiceDefaults;
using Piramid.TestKit;
using Piramid.TestKit.Http;

namespace Piramid.Contracts.Tests.Problems;

/// <summary>
/// What every process gets from the service defaults, on real Kestrel: exceptions, binder refusals, unknown routes
/// and wrong methods answered in the catalogue's shape, and <c>X-Request-Id</c> on every answer.
/// </summary>
public sealed class ServiceDefaultsProblemTests
{
    [Fact]
    public async Task ProblemsOfEveryOrigin_HaveTheCataloguesShape()
    {
        await using var app = await StartAsync(trustIncoming: false);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };

        using (var thrown = await http.GetAsync(new Uri("/conflict", UriKind.Relative)))
        {
            var body = await ProblemAssert.MatchesAsync(thrown, ProblemCatalog.Conflict);
            Assert.Equal("It conflicts.", (string?)body["detail"]);
            Assert.Equal("max_points", (string?)body["quota"]);
        }

        using (var bound = await http.GetAsync(new Uri("/bind?limit=many", UriKind.Relative)))
        {
            var detail = (string?)(await ProblemAssert.MatchesAsync(bound, ProblemCatalog.InvalidRequest))["detail"];
            Assert.Contains("'limit'", detail, StringComparison.Ordinal);
            Assert.Contains("'many'", detail, StringComparison.Ordinal);
        }

        using (var written = await http.GetAsync(new Uri("/written", UriKind.Relative)))
        {
            await ProblemAssert.MatchesAsync(written, ProblemCatalog.RateLimited);
        }

        using (var missing = await http.GetAsync(new Uri("/nowhere", UriKind.Relative)))
        {
            await ProblemAssert.MatchesAsync(missing, ProblemCatalog.NotFound);
        }

        using (var method = await http.DeleteAsync(new Uri("/ok", UriKind.Relative)))
        {
            await ProblemAssert.MatchesAsync(method, ProblemCatalog.MethodNotAllowed);
            Assert.Contains("GET", method.Content.Headers.Allow);
        }

        using (var mismatched = await http.GetAsync(new Uri("/mismatched", UriKind.Relative)))
        {
            Assert.Equal("Use another method.", (string?)(await ProblemAssert.MatchesAsync(mismatched, ProblemCatalog.NotImplemented))["detail"]);
        }

        using (var fault = await http.GetAsync(new Uri("/fault", UriKind.Relative)))
        {
            var detail = (string?)(await ProblemAssert.MatchesAsync(fault, ProblemCatalog.Internal))["detail"];
            Assert.DoesNotContain("/var/lib", detail, StringComparison.Ordinal);
        }

        // A client that accepts only HTML still gets the same body (the problem-details service would skip it).
        using var html = new HttpRequestMessage(HttpMethod.Get, "/conflict");
        html.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        using var htmlAnswer = await http.SendAsync(html);
        await ProblemAssert.MatchesAsync(htmlAnswer, ProblemCatalog.Conflict);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EveryAnswer_CarriesARequestId_TheCallersOnlyWhenTrusted(bool trustIncoming)
    {
        await using var app = await StartAsync(trustIncoming);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        foreach (var path in new[] { "/ok", "/conflict", "/nowhere", "/fault" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add(HeaderNames.RequestId, "chosen-by-caller");
            using var response = await http.SendAsync(request);
            Assert.True(response.Headers.TryGetValues(HeaderNames.RequestId, out var ids), path);
            var id = ids.Single();
            Assert.False(string.IsNullOrWhiteSpace(id), path);
            Assert.Equal(trustIncoming, id == "chosen-by-caller");
        }

        // An id that is too long or not visible ASCII is never adopted.
        using var odd = new HttpRequestMessage(HttpMethod.Get, "/ok");
        odd.Headers.TryAddWithoutValidation(HeaderNames.RequestId, new string('a', RequestIds.MaxLength + 1));
        using var oddAnswer = await http.SendAsync(odd);
        Assert.NotEqual(new string('a', RequestIds.MaxLength + 1), oddAnswer.Headers.GetValues(HeaderNames.RequestId).Single());
    }

    private static async Task<WebApplication> StartAsync(bool trustIncoming)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{LoopbackPort.GetFree()}");
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults("problem-test");
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        var app = builder.Build();
        app.UseProblemDefaults(trustIncoming);
        app.MapGet("/ok", () => "ok");
        app.MapGet("/conflict", IResult () => throw new ProblemException(
            ProblemCatalog.Conflict, "It conflicts.", new Dictionary<string, object?> { ["quota"] = "max_points" }));
        app.MapGet("/bind", (int limit) => limit);
        app.MapGet("/written", (HttpContext context) => ProblemResults.WriteAsync(context, ProblemCatalog.RateLimited, "Slow down."));
        app.MapGet("/mismatched", () => TypedResults.Problem(statusCode: 501, type: ProblemTypes.InvalidRequest, title: "Method not implemented", detail: "Use another method."));
        app.MapGet("/fault", IResult () => throw new InvalidOperationException("Cannot open /var/lib/piramid/secret."));
        await app.StartAsync();
        return app;
    }
}
