namespace Piramid.TestKit.Processes.KillSoak;

/// <summary>How long and how hard a kill soak runs.</summary>
public sealed class KillSoakOptions
{
    /// <summary>The engine to start after every kill (data directory, keys); its durability is replaced by <see cref="Durabilities"/>.</summary>
    public required EngineProcessOptions Engine { get; init; }

    /// <summary>SIGKILLs; each is followed by a restart and a check, and the last by a full scan.</summary>
    public required int Kills { get; init; }

    /// <summary>Seed of the writes, the kill moments and the samples; a violation names it with the kill.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Policies that promise durability, used in turn: the engine killed <c>k</c> times runs policy <c>k % Count</c>.</summary>
    public IReadOnlyList<string> Durabilities { get; init; } = ["always", "batch"];

    /// <summary>Collections written concurrently.</summary>
    public IReadOnlyList<SoakCollection> Collections { get; init; } = SoakCollection.Defaults;

    /// <summary>Concurrent writers per collection, each on its own ids.</summary>
    public int WritersPerCollection { get; init; } = 2;

    /// <summary>Ids one writer may create; then its upserts only overwrite, which bounds the data and the check at the end.</summary>
    public int MaxIdsPerWriter { get; init; } = 300;

    /// <summary>Ids of earlier rounds checked per writer after each kill (the round's own ids are all checked).</summary>
    public int SamplePerWriter { get; init; } = 24;

    /// <summary>Vector dimension.</summary>
    public int Dimension { get; init; } = 8;

    /// <summary>The kill lands this long after every writer had a write acknowledged: at least.</summary>
    public TimeSpan MinKillDelay { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>At most.</summary>
    public TimeSpan MaxKillDelay { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// Every this many rounds, a clean stop (SIGTERM, which checkpoints) replaces the kill, so the log and the
    /// restart stay bounded and later kills recover from a checkpoint plus the log; 0 never.
    /// </summary>
    public int CleanStopEvery { get; init; } = 10;

    /// <summary>
    /// The engine's maintenance period (<c>Engine__MaintenanceIntervalSeconds</c>, default 1 s there). An engine
    /// killed every second or two would rarely compact its HNSW graphs at 1 s, and the retired slots it keeps
    /// grow every checkpoint and restart; 100 ms lets compaction run (and be killed) within a round.
    /// </summary>
    public TimeSpan MaintenanceInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Called with the kill number and the data directory after each kill, before the restart (to damage it on purpose).</summary>
    public Action<int, string>? AfterKill { get; init; }

    /// <summary>Progress lines (every <see cref="ProgressEvery"/> kills).</summary>
    public Action<string>? Progress { get; init; }

    /// <summary>See <see cref="Progress"/>.</summary>
    public int ProgressEvery { get; init; } = 50;

    /// <summary>Longest wait for every writer's first acknowledgement in a round (a hung engine fails the soak instead of hanging it).</summary>
    public TimeSpan FirstAcknowledgementTimeout { get; init; } = TimeSpan.FromSeconds(60);

    internal void Validate()
    {
        if (Kills < 0 || Durabilities.Count == 0 || Collections.Count == 0 || WritersPerCollection < 1 || MaxIdsPerWriter < 1
            || SamplePerWriter < 0 || CleanStopEvery < 0 || Dimension < 1 || MaintenanceInterval < TimeSpan.FromMilliseconds(50) || MinKillDelay < TimeSpan.Zero || MaxKillDelay < MinKillDelay)
        {
            throw new ArgumentException("Kill soak options out of range: kills >= 0, at least one policy and one collection, writers >= 1, max ids >= 1, sample >= 0, dimension >= 1, maintenance interval >= 50 ms (the engine's minimum), 0 <= min delay <= max delay.");
        }
    }
}
