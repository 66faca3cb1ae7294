using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Piramid.Contracts.Admin;
using Piramid.Gateway.ControlPlane;

namespace Piramid.Gateway.Tests;

/// <summary>The gateway's client of the control plane's internal API, against answers it cannot use.</summary>
public sealed class ControlPlaneClientTests
{
    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("{\"tenants\":")]
    [InlineData("[1,2,3]")]
    public async Task ReportUsage_WhenTheAnswerCannotBeRead_FailsAsUnanswered_NotWithAJsonError(string answer)
    {
        // The usage reporter keeps a report and resends it on HttpRequestException only; a JsonException ended its loop.
        using var http = new HttpClient(new CannedControlPlane(answer));
        using var client = new ControlPlaneClient(http, Options.Create(new GatewayOptions
        {
            ControlPlaneUrl = new Uri("http://127.0.0.1:9/"),
            ClientId = "gateway",
            ClientSecret = "secret",
        }), TimeProvider.System);

        var report = new UsageReport { Id = Guid.NewGuid().ToString("N"), Usage = [] };
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.ReportUsageAsync(report, CancellationToken.None));
        Assert.Contains("not readable", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Answers the token request properly and every other request with a fixed 200 body.</summary>
    private sealed class CannedControlPlane(string answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.RequestUri!.AbsolutePath == "/connect/token"
                ? "{\"access_token\":\"t\",\"expires_in\":3600}"
                : answer;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            });
        }
    }
}
