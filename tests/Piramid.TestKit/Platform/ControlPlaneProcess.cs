using System.Diagnostics;
using Piramid.ControlPlane.Hosting;

namespace Piramid.TestKit.Platform;

/// <summary>
/// The control plane as a separate OS process (<c>dotnet Piramid.ControlPlane.dll</c>) on the state of a
/// <see cref="ControlPlaneHost"/> that was stopped first (same database, keys, engines and port), so that a test can
/// SIGKILL it: an in-process host cannot die the way a real one does.
/// </summary>
public sealed class ControlPlaneProcess : IDisposable
{
    private readonly Process _process;

    private ControlPlaneProcess(Process process) => _process = process;

    /// <summary>Its process id.</summary>
    public int Id => _process.Id;

    /// <summary>Everything it wrote (for failure messages).</summary>
    public string Output { get; private set; } = string.Empty;

    /// <summary>
    /// Starts it with <paramref name="host"/>'s settings plus <paramref name="extra"/> (as environment variables) and
    /// waits until it answers <c>/health/ready</c>.
    /// </summary>
    public static async Task<ControlPlaneProcess> StartAsync(ControlPlaneHost host, IDictionary<string, string?> extra, TimeSpan patience)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(extra);
        var dll = typeof(ControlPlaneApp).Assembly.Location;
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll); // the referenced app's runtimeconfig.json is copied next to it
        foreach (var (key, value) in host.Settings.Concat(extra))
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        info.Environment["ASPNETCORE_URLS"] = host.BaseAddress.ToString().TrimEnd('/');
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var cp = new ControlPlaneProcess(process);
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTimeOffset.UtcNow + patience;
        while (true)
        {
            if (process.HasExited)
            {
                lock (output) { cp.Output = output.ToString(); }
                throw new InvalidOperationException($"the control plane process exited with {process.ExitCode}:\n{cp.Output}");
            }

            try
            {
                using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (ready.IsSuccessStatusCode)
                {
                    return cp;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                cp.Kill();
                throw new TimeoutException("the control plane process did not get ready");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL, this process only (its engines live on, as when a real control plane dies), and waits for it.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        _process.WaitForExit();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
