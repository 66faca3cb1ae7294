using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Piramid.TestKit.Syslog;

/// <summary>
/// Debian's <c>rsyslogd</c> in the foreground on a loopback TCP port with a generated configuration: it receives
/// RFC 5424 messages in octet-counting framing (imtcp) and writes each one's structured data and message, one per
/// line, to <see cref="OutputFile"/>. It can be stopped (SIGKILL, as an outage) and started again on the same port and
/// file. <c>./piramid test</c> installs the package; a missing one fails the start saying so.
/// </summary>
public sealed class RsyslogServer : IAsyncDisposable
{
    private const string Executable = "/usr/sbin/rsyslogd";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _dir = new("piramid-rsyslog");
    private Process? _process;

    private RsyslogServer(int port) => Port = port;

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Where received messages go: <c>%structured-data% %msg%</c>, one line each.</summary>
    public string OutputFile => _dir.Combine("received.log");

    /// <summary>Starts one on a free port.</summary>
    public static async Task<RsyslogServer> StartAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: apt-get install rsyslog (./piramid test installs it).");
        }

        for (var attempt = 1; ; attempt++)
        {
            var server = new RsyslogServer(LoopbackPort.GetFree());
            try
            {
                await server.StartAgainAsync();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // The port was taken between choosing and binding it (other suites run at once).
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>Starts one on <paramref name="port"/> (one that a test held until now).</summary>
    public static async Task<RsyslogServer> StartOnAsync(int port)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: apt-get install rsyslog (./piramid test installs it).");
        }

        var server = new RsyslogServer(port);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts it (again) on the same port and output file, and waits until it accepts connections.</summary>
    public async Task StartAgainAsync()
    {
        var work = _dir.Combine("work");
        Directory.CreateDirectory(work);
        var config = _dir.Combine("rsyslog.conf");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $$"""
            global(workDirectory="{{work}}" maxMessageSize="64k")
            module(load="imtcp")
            template(name="piramidAudit" type="string" string="%structured-data% %msg%\n")
            ruleset(name="audit") { action(type="omfile" file="{{OutputFile}}" template="piramidAudit") }
            input(type="imtcp" port="{{Port}}" address="127.0.0.1" ruleset="audit")
            """));
        var info = new ProcessStartInfo(Executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-n", "-f", config, "-i", _dir.Combine("rsyslogd.pid") })
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("rsyslogd did not start");
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"rsyslogd exited with {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync()}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50); // not listening yet
            }
        }

        throw new TimeoutException($"rsyslogd did not listen on {Port} within {StartTimeout}");
    }

    /// <summary>SIGKILL: the receiver is gone, as in an outage; what it wrote stays.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>The complete lines written so far (a line still being written is left out).</summary>
    public List<string> ReadLines()
    {
        if (!File.Exists(OutputFile))
        {
            return [];
        }

        using var stream = new FileStream(OutputFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var text = new StreamReader(stream).ReadToEnd();
        var lines = text.Split('\n').ToList();
        lines.RemoveAt(lines.Count - 1); // empty after a final newline, or an unfinished line
        return lines;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _dir.Dispose();
    }
}
