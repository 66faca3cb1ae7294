using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Piramid.TestKit.Observability;

/// <summary>
/// Debian's <c>prometheus</c> on a free loopback port, scraping the given targets every <see cref="ScrapeInterval"/>,
/// with a throwaway storage directory; stopped and deleted on dispose. <c>./piramid test</c> installs it.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    /// <summary>How often it scrapes (short, so a test waits seconds, not minutes).</summary>
    public static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(1);

    private readonly Process _process;
    private readonly TempDirectory _directory;
    private readonly HttpClient _http;

    private PrometheusServer(Process process, TempDirectory directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Address = address;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>http://127.0.0.1:port of its API.</summary>
    public Uri Address { get; }

    /// <summary>
    /// Starts it with <paramref name="scrapeConfigs"/> (YAML of the <c>scrape_configs</c> list, indented by two spaces)
    /// and waits until it is ready.
    /// </summary>
    public static async Task<PrometheusServer> StartAsync(string scrapeConfigs)
    {
        var binary = File.Exists("/usr/bin/prometheus") ? "/usr/bin/prometheus"
            : throw new InvalidOperationException("prometheus is not installed (apt-get install prometheus; ./piramid test installs it)");
        var directory = new TempDirectory("piramid-prometheus");
        var interval = ((int)ScrapeInterval.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";
        var config = directory.Combine("prometheus.yml");
        await File.WriteAllTextAsync(config, $"global:\n  scrape_interval: {interval}\n  evaluation_interval: {interval}\nscrape_configs:\n{scrapeConfigs}");
        var port = LoopbackPort.GetFree();
        var info = new ProcessStartInfo(binary)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "--config.file=" + config, "--storage.tsdb.path=" + directory.Combine("data"),
            "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture), "--log.level=warn",
        })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("prometheus did not start");
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited)
            {
                await server.DisposeAsync();
                lock (output)
                {
                    throw new InvalidOperationException($"prometheus exited with {process.ExitCode}:\n{output}");
                }
            }

            try
            {
                using var ready = await server._http.GetAsync(new Uri("-/ready", UriKind.Relative));
                if (ready.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                await server.DisposeAsync();
                throw new TimeoutException("prometheus was not ready within 60 s");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>An instant PromQL query; each result's labels and value.</summary>
    public async Task<IReadOnlyList<(JsonObject Labels, double Value)>> QueryAsync(string promql)
    {
        using var answer = await _http.GetAsync(new Uri("api/v1/query?query=" + Uri.EscapeDataString(promql), UriKind.Relative));
        var body = await answer.Content.ReadFromJsonAsync<JsonObject>() ?? throw new InvalidOperationException("empty answer");
        if (!answer.IsSuccessStatusCode || body["status"]?.GetValue<string>() != "success")
        {
            throw new InvalidOperationException($"query '{promql}' failed: {body.ToJsonString()}");
        }

        return [.. body["data"]!["result"]!.AsArray().Select(r => (
            r!["metric"]!.AsObject(),
            double.Parse(r["value"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture)))];
    }

    /// <summary>
    /// Queries until the first result's value satisfies <paramref name="done"/> (scrapes happen every second) or
    /// <paramref name="timeout"/> passes; returns the last results.
    /// </summary>
    public async Task<IReadOnlyList<(JsonObject Labels, double Value)>> QueryUntilAsync(string promql, Func<double, bool> done, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(done);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var results = await QueryAsync(promql);
            if ((results.Count > 0 && done(results[0].Value)) || DateTime.UtcNow > deadline)
            {
                return results;
            }

            await Task.Delay(ScrapeInterval / 2);
        }
    }

    /// <summary>The scrape targets Prometheus knows, with their health (for failure messages).</summary>
    public async Task<string> TargetsAsync()
    {
        using var answer = await _http.GetAsync(new Uri("api/v1/targets", UriKind.Relative));
        return await answer.Content.ReadAsStringAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _directory.Dispose();
    }
}
