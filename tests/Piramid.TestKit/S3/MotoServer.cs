using System.Diagnostics;
using System.Text;

namespace Piramid.TestKit.S3;

/// <summary>
/// A real S3-compatible server on a free loopback port: <c>moto_server</c> (moto 5, on this machine's image; see
/// ../shared/FACTS.md). It is a dependency of the test suite: when it is missing, starting fails saying so, and
/// <c>./piramid test</c> checks it before running anything. Killed on dispose.
/// </summary>
public sealed class MotoServer : IAsyncDisposable
{
    /// <summary>Environment variable naming the executable when it is not <c>moto_server</c> on PATH.</summary>
    public const string ExecutableVariable = "PIRAMID_MOTO_SERVER";

    /// <summary>Credentials moto accepts (it accepts any; the SDK needs some to sign).</summary>
    public const string AccessKey = "piramid-test", SecretKey = "piramid-test-secret";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private MotoServer(Process process, int port)
    {
        _process = process;
        ServiceUrl = new Uri($"http://127.0.0.1:{port}");
    }

    /// <summary>http://127.0.0.1:port, for <c>ServiceURL</c> with path-style addressing.</summary>
    public Uri ServiceUrl { get; }

    /// <summary>Everything it printed.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts it and waits until it answers HTTP.</summary>
    public static async Task<MotoServer> StartAsync()
    {
        var executable = FindExecutable();
        // A port free a moment ago may be taken before moto binds it (other suites run at once): try a few.
        for (var attempt = 1; ; attempt++)
        {
            var server = Launch(executable, LoopbackPort.GetFree());
            try
            {
                await server.WaitReadyAsync();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>
    /// Starts one on <paramref name="port"/>, e.g. the port of one that was disposed (an S3 outage that ends): moto
    /// keeps nothing in between, so buckets must be created again.
    /// </summary>
    public static async Task<MotoServer> StartOnAsync(int port)
    {
        var server = Launch(FindExecutable(), port);
        try
        {
            await server.WaitReadyAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates a bucket (unsigned PUT, which moto accepts) and returns its name.</summary>
    public async Task<string> CreateBucketAsync(string? name = null)
    {
        name ??= $"piramid-{Guid.NewGuid():N}";
        using var http = new HttpClient { BaseAddress = ServiceUrl };
        using var response = await http.PutAsync(new Uri($"/{name}", UriKind.Relative), content: null);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"moto_server refused to create bucket '{name}': {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return name;
    }

    /// <summary>The executable, or an exception saying how to get it.</summary>
    public static string FindExecutable()
    {
        var configured = Environment.GetEnvironmentVariable(ExecutableVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException($"{ExecutableVariable}={configured} does not exist.");
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(directory, "moto_server");
            if (directory.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "moto_server is not on PATH: the S3 store tests need it (moto 5 ships on this machine's image; "
            + $"or set {ExecutableVariable} to its path). ./piramid test checks this before it runs.");
    }

    private static MotoServer Launch(string executable, int port)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-H");
        info.ArgumentList.Add("127.0.0.1");
        info.ArgumentList.Add("-p");
        info.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new MotoServer(process, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 1 << 20)
            {
                _output.AppendLine(line);
            }
        }
    }

    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = ServiceUrl, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"moto_server exited with {_process.ExitCode} before it answered:\n{Output}");
            }

            try
            {
                // Any HTTP answer means it listens; moto answers GET / with the (empty) bucket list.
                using var response = await http.GetAsync(new Uri("/", UriKind.Relative));
                if (_process.HasExited)
                {
                    // Someone else answered on the port moto failed to bind.
                    throw new InvalidOperationException($"moto_server exited with {_process.ExitCode}:\n{Output}");
                }

                return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Starting up slowly on a loaded machine.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"moto_server did not answer within {StartTimeout}:\n{Output}");
    }

    /// <summary>Kills it (with its children: the pyenv shim's python).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        _process.Dispose();
    }
}
