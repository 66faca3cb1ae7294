using System.Text.Json;
using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Operations;

/// <summary>
/// What a handler sees of its operation: its input, and where to put progress and the result. <see cref="Report"/>
/// only records the latest numbers; the runner writes them to the database at most every
/// <see cref="OperationsOptions.ProgressInterval"/>, so a handler may report per chunk without flooding PostgreSQL.
/// </summary>
public sealed class OperationContext
{
    private readonly Lock _gate = new();
    private double _percent;
    private long _bytes;
    private long _points;
    private bool _dirty;

    internal OperationContext(Operation operation, IServiceProvider services)
    {
        Id = operation.Id;
        TenantId = operation.TenantId;
        Kind = operation.Kind;
        Attempt = operation.Attempts;
        Owner = operation.Owner ?? string.Empty;
        Request = JsonDocument.Parse(operation.Request).RootElement.Clone();
        Services = services;
        _percent = operation.Percent;
        _bytes = operation.Bytes;
        _points = operation.Points;
    }

    /// <summary>The operation's id.</summary>
    public string Id { get; }

    /// <summary>The tenant.</summary>
    public string TenantId { get; }

    /// <summary>The kind.</summary>
    public string Kind { get; }

    /// <summary>The runner that claimed this run (operations.owner): a handler's final write is conditional on it.</summary>
    public string Owner { get; }

    /// <summary>1 for the first run, more when a resumable operation was started again.</summary>
    public int Attempt { get; }

    /// <summary>The input the operation was created with.</summary>
    public JsonElement Request { get; }

    /// <summary>The run's scope (a fresh DbContext and the handler's dependencies).</summary>
    public IServiceProvider Services { get; }

    /// <summary>The result, serialized with the wire options when the handler returns.</summary>
    public object? Result { get; set; }

    /// <summary>Records progress: <paramref name="percent"/> is clamped to 0-100.</summary>
    public void Report(double percent, long bytes, long points)
    {
        lock (_gate)
        {
            _percent = double.IsFinite(percent) ? Math.Clamp(percent, 0, 100) : _percent;
            _bytes = bytes;
            _points = points;
            _dirty = true;
        }
    }

    /// <summary>The numbers reported since the last call, or null when nothing changed.</summary>
    internal (double Percent, long Bytes, long Points)? TakeProgress()
    {
        lock (_gate)
        {
            if (!_dirty)
            {
                return null;
            }

            _dirty = false;
            return (_percent, _bytes, _points);
        }
    }

    /// <summary>The latest numbers, whether or not written.</summary>
    internal (double Percent, long Bytes, long Points) Progress()
    {
        lock (_gate)
        {
            return (_percent, _bytes, _points);
        }
    }
}
