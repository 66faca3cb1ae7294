using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Piramid.DataPlane.Hosting;
using Piramid.ServiceDefaults;

namespace Piramid.DataPlane.Tests;

/// <summary>
/// The engine caps the series of the framework's instruments (<see cref="EngineTelemetry.FrameworkSeriesLimit"/>), which
/// makes its start cheaper, and leaves its own meter at OpenTelemetry's default; measured through the scrape endpoint.
/// </summary>
public sealed partial class FrameworkSeriesLimitTests
{
    private const int Series = 300;

    [Fact]
    public async Task FrameworkInstruments_KeepAtMostTheLimit_AndTheEngineMeterKeepsEverySeries()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults("piramid-engine", EngineTelemetry.Name);
        builder.Services.LimitFrameworkSeries();
        await using var app = builder.Build();
        app.UseMetricsEndpoint(onEveryPort: true);
        await app.StartAsync();

        // A meter the ASP.NET Core instrumentation listens to stands for the framework's instruments.
        using var framework = new Meter("Microsoft.AspNetCore.Hosting");
        var frameworkCounter = framework.CreateCounter<long>("piramid.test.framework.series");
        var engineCounter = EngineTelemetry.Searches;
        for (var i = 0; i < Series; i++)
        {
            frameworkCounter.Add(1, new KeyValuePair<string, object?>("k", $"v{i}"));
            engineCounter.Add(1, new KeyValuePair<string, object?>("series_test", $"v{i}"));
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        var frameworkLines = FrameworkSeries().Matches(text);
        Assert.Equal(EngineTelemetry.FrameworkSeriesLimit, frameworkLines.Count(m => m.Groups["tags"].Value.Contains("k=\"v", StringComparison.Ordinal)));
        Assert.Contains(frameworkLines, m => m.Groups["tags"].Value.Contains("otel_metric_overflow=\"true\"", StringComparison.Ordinal));
        Assert.Equal(Series, EngineSeries().Count(text));
        await app.StopAsync();
    }

    [GeneratedRegex("""^piramid_test_framework_series_total\{(?<tags>[^}]*)\} \d+""", RegexOptions.Multiline)]
    private static partial Regex FrameworkSeries();

    [GeneratedRegex("""^piramid_engine_searches_total\{[^}]*series_test="v\d+"[^}]*\} \d+""", RegexOptions.Multiline)]
    private static partial Regex EngineSeries();
}
