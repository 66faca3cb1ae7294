using Microsoft.Extensions.Options;

namespace Piramid.ControlPlane.Auditing.Sinks;

/// <summary>Settings of the continuous audit export (section <c>AuditSinks</c>, docs/API.md "Audit sinks").</summary>
public sealed class AuditSinkOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "AuditSinks";

    /// <summary>How often every sink is looked at: a syslog sink delivers what is new, a failing sink is retried.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time between two successful deliveries to an S3 sink: one object per UTC hour of entries, written hourly.</summary>
    public TimeSpan S3Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Age an engine entry must reach before it is delivered. Control-plane events need no wait: their log positions
    /// (the sink's control cursor) commit in order, so none can appear below one already delivered.
    /// </summary>
    public TimeSpan SettleDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most entries read and delivered in one step (a bigger backlog is drained step by step).</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>Most sinks delivering at once (each one at most once at a time).</summary>
    public int Parallelism { get; set; } = 8;

    /// <summary>Most batches one sink delivers per <see cref="PollInterval"/> tick; a bigger backlog goes on at the next.</summary>
    public int BatchesPerRound { get; set; } = 10;

    /// <summary>Timeout of one delivery step (a connect, a write and the receiver's close, or one object upload).</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether a sink may name a loopback, private or link-local address. Off in production: a tenant must not reach
    /// the platform's own network through its sink. Tests and single-host setups turn it on.
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }
}

/// <summary>Checks <see cref="AuditSinkOptions"/> at start, naming the configuration key.</summary>
internal sealed class AuditSinkOptionsValidator : IValidateOptions<AuditSinkOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditSinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        Check(errors, "PollInterval", options.PollInterval, TimeSpan.FromMilliseconds(50), TimeSpan.FromHours(1));
        Check(errors, "S3Interval", options.S3Interval, TimeSpan.Zero, TimeSpan.FromDays(1));
        Check(errors, "SettleDelay", options.SettleDelay, TimeSpan.Zero, TimeSpan.FromHours(1));
        Check(errors, "DeliveryTimeout", options.DeliveryTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        if (options.Parallelism is < 1 or > 64)
        {
            errors.Add($"'{AuditSinkOptions.Section}:Parallelism' must lie between 1 and 64.");
        }

        if (options.BatchesPerRound is < 1 or > 1000)
        {
            errors.Add($"'{AuditSinkOptions.Section}:BatchesPerRound' must lie between 1 and 1000.");
        }

        if (options.BatchSize is < 1 or > 10_000)
        {
            errors.Add($"'{AuditSinkOptions.Section}:BatchSize' must lie between 1 and 10000.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(List<string> errors, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"'{AuditSinkOptions.Section}:{key}' must lie between {min} and {max}.");
        }
    }
}
