namespace Piramid.ControlPlane.Identity;

/// <summary>Process-wide state of client secret checks: how many ran, and the dummy hash made once.</summary>
public sealed class ClientSecretChecks
{
    private string? _dummyHash;

    private long _count;

    /// <summary>Secret checks so far (real and dummy).</summary>
    public long Total => Interlocked.Read(ref _count);

    internal void Count() => Interlocked.Increment(ref _count);

    internal async ValueTask<string> DummyHashAsync(Func<ValueTask<string>> create)
    {
        if (Volatile.Read(ref _dummyHash) is { } made)
        {
            return made;
        }

        // Two first callers may both hash; either result serves, and the first stored wins.
        var hash = await create();
        return Interlocked.CompareExchange(ref _dummyHash, hash, null) ?? hash;
    }
}
