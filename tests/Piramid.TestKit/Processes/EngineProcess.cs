using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Piramid.KeyWrapping;
using Piramid.TestKit.Http;

namespace Piramid.TestKit.Processes;

/// <summary>A real engine process on a loopback port, for crash, recovery and API tests.</summary>
public sealed partial class EngineProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private EngineProcess(Process process, int port, EngineProcessOptions options)
    {
        _process = process;
        Port = port;
        Options = options;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    /// <summary>The options it started with.</summary>
    public EngineProcessOptions Options { get; }

    /// <summary>Its loopback port.</summary>
    public int Port { get; }

    /// <summary>http://127.0.0.1:port.</summary>
    public Uri BaseAddress { get; }

    /// <summary>OS process id.</summary>
    public int Pid => _process.Id;

    /// <summary>True once it exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Everything it printed (stdout and stderr).</summary>
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

    /// <summary>Starts the engine and waits until <c>/health/ready</c> answers.</summary>
    public static async Task<EngineProcess> StartAsync(EngineProcessOptions options)
    {
        var engine = Launch(options);
        await engine.WaitReadyAsync(options.StartTimeout);
        return engine;
    }

    /// <summary>Starts the engine without waiting (to observe a refusal to start).</summary>
    public static EngineProcess Launch(EngineProcessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var port = LoopbackPort.GetFree();
        var (file, args) = EngineBinary.Resolve();
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["Engine__DataDirectory"] = options.DataDirectory;
        info.Environment["Engine__KeyFile"] = WriteKeyFile(options);
        info.Environment["Engine__TenantId"] = options.TenantId;
        info.Environment["Engine__Durability"] = options.Durability;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (k, v) in options.Environment)
        {
            info.Environment[k] = v;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var engine = new EngineProcess(process, port, options);
        process.OutputDataReceived += (_, e) => engine.Append(e.Data);
        process.ErrorDataReceived += (_, e) => engine.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return engine;
    }

    /// <summary>
    /// Does what the control plane does before a start: unwraps the directory's data key (creating it on
    /// first use) and writes the owner-only key file next to the data directory. Returns its path.
    /// </summary>
    public static string WriteKeyFile(EngineProcessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Engine processes run on Linux.");
        }

        var path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.DataDirectory)) + ".keys";
        byte[] content;
        if (options.KeyFileText is { } text)
        {
            content = Encoding.ASCII.GetBytes(text);
        }
        else if (options.DataKey is { } dataKey)
        {
            content = Encoding.ASCII.GetBytes(
                $"{EngineKeyFile.Header}\ntenant {options.TenantId}\ndata-key {dataKey}\nengine-secret {options.EngineSecret}\n");
        }
        else
        {
            // As the control plane does: the directory's wrapped key (created once), unwrapped into the key file.
            using var platformKey = PlatformKey.FromBase64(options.PlatformKey);
            var own = new byte[DataKeyWrap.KeyLength];
            DataKeyWrap.Unwrap(DataKeyFile.OpenOrCreate(options.DataDirectory, platformKey), platformKey, own);
            content = EngineKeyFile.Format(options.TenantId, own, Convert.FromBase64String(options.EngineSecret));
        }

        File.Delete(path);
        using (var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            stream.Write(content);
        }

        return path;
    }

    /// <summary>An HTTP client whose requests carry an identity signed for this engine.</summary>
    public HttpClient CreateClient(string role = "admin", string principal = "test-key", IReadOnlyList<string>? collections = null) =>
        new(new SigningHandler(Convert.FromBase64String(Options.EngineSecret), Options.TenantId, role, principal, collections))
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

    /// <summary>A client that signs nothing.</summary>
    public HttpClient CreateUnsignedClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>SIGKILL: no flush, no checkpoint, as a crash or an OOM kill.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.WaitForExit();
    }

    /// <summary>SIGTERM and wait for a clean exit; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            _ = SysKill(_process.Id, 15);
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Waits for exit (for a process expected to refuse to start).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Kills it if still running.</summary>
    public ValueTask DisposeAsync()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = CreateUnsignedClient();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Engine exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"Engine not ready after {timeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);
}
