using System.Diagnostics;
using System.Globalization;

namespace Piramid.TestKit.Processes.KillSoak;

/// <summary>
/// Writes to several collections from concurrent writers (upserts that add and overwrite, deletes),
/// SIGKILLs the engine at a random moment, restarts it and checks what it serves. The check after a kill
/// covers that round's writes and a seeded sample of older ids, so a round costs the same at kill 1,000
/// as at kill 1; after the last kill every point is checked. Shared by the crash test and the
/// <c>killsoak</c> benchmark mode; see docs/design/wal.md, "Kill soak". Every
/// <see cref="KillSoakOptions.CleanStopEvery"/> rounds the engine is stopped cleanly instead (it checkpoints),
/// as deploys do: without it the log of 1,000 rounds is never checkpointed and each restart replays it all.
/// </summary>
public static class KillSoakRunner
{
    /// <summary>Runs the soak; violations are collected, not thrown (an engine that will not start ends the soak with one).</summary>
    public static async Task<KillSoakResult> RunAsync(KillSoakOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = Stopwatch.StartNew();
        var result = new KillSoakResult();
        var random = new Random(options.Seed);
        var lanes = options.Collections
            .SelectMany((collection, c) => Enumerable.Range(0, options.WritersPerCollection)
                .Select(w => new SoakLane(collection, (c * options.WritersPerCollection) + w, options.Seed, options.MaxIdsPerWriter)))
            .ToArray();

        for (var round = 0; ; round++)
        {
            var where = $"seed {options.Seed}, round {round} (after kill {result.Kills})";
            var durability = options.Durabilities[result.Kills % options.Durabilities.Count]; // kills split evenly
            EngineProcess engine;
            try
            {
                engine = await EngineProcess.StartAsync(ForRound(options, durability));
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                result.AddViolation($"{where}: the engine did not start: {ex.Message}");
                break;
            }

            await using (engine)
            {
                using var http = engine.CreateClient();
                var api = new SoakApi(http);
                if (round == 0)
                {
                    foreach (var collection in options.Collections)
                    {
                        await api.CreateAsync(collection, options.Dimension);
                    }
                }
                else
                {
                    foreach (var lane in lanes)
                    {
                        await SoakVerifier.CheckRoundAsync(api, lane, options.Dimension, random, options.SamplePerWriter, where, result);
                    }
                }

                if (result.Kills == options.Kills)
                {
                    result.FinalPoints = 0;
                    foreach (var collection in options.Collections)
                    {
                        result.FinalPoints += await SoakVerifier.CheckAllAsync(api, collection, [.. lanes.Where(l => l.Collection == collection)], options.Dimension, $"seed {options.Seed}, final scan", result);
                    }

                    break;
                }

                var clean = options.CleanStopEvery > 0 && (round + 1) % options.CleanStopEvery == 0;
                await WriteAndStopAsync(engine, api, lanes, options, random, where, clean, result);
                if (clean)
                {
                    result.CleanStops++;
                    continue;
                }

                result.Kills++;
                result.KillsByDurability[durability] = result.KillsByDurability.TryGetValue(durability, out var kills) ? kills + 1 : 1;
            }

            options.AfterKill?.Invoke(result.Kills, options.Engine.DataDirectory);
            if (options.Progress is not null && result.Kills % options.ProgressEvery == 0)
            {
                options.Progress(string.Create(CultureInfo.InvariantCulture, $"kill {result.Kills}/{options.Kills} at {clock.Elapsed.TotalSeconds:F0} s: {result.AcknowledgedUpserts} upserts and {result.AcknowledgedDeletes} deletes verified, {result.ViolationCount} violations"));
            }
        }

        result.Elapsed = clock.Elapsed;
        return result;
    }

    private static async Task WriteAndStopAsync(EngineProcess engine, SoakApi api, SoakLane[] lanes, KillSoakOptions options, Random random, string where, bool clean, KillSoakResult result)
    {
        // The kill must land among acknowledged writes, or the round proves nothing: wait for one per lane.
        var waiting = lanes.Length;
        var everyLaneAcknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var writers = lanes.Select(lane =>
        {
            var first = true;
            return Task.Run(() => lane.RunAsync(api, options.Dimension, $"r{result.Kills + result.CleanStops}", () =>
            {
                if (first)
                {
                    first = false;
                    if (Interlocked.Decrement(ref waiting) == 0)
                    {
                        everyLaneAcknowledged.TrySetResult();
                    }
                }
            }, result.AddViolation, stop.Token));
        }).ToArray();

        using var timeout = new CancellationTokenSource(options.FirstAcknowledgementTimeout);
        var gaveUp = Task.Delay(Timeout.Infinite, timeout.Token);
        await Task.WhenAny(everyLaneAcknowledged.Task, Task.WhenAll(writers), gaveUp);
        if (!everyLaneAcknowledged.Task.IsCompleted)
        {
            result.AddViolation($"{where}: not every writer had a write acknowledged within {options.FirstAcknowledgementTimeout.TotalSeconds:F0} s");
        }
        else
        {
            var span = (options.MaxKillDelay - options.MinKillDelay).TotalMilliseconds;
            await Task.Delay(options.MinKillDelay + TimeSpan.FromMilliseconds(random.NextDouble() * span));
        }

        if (clean)
        {
            // A deploy: writers finish what they sent, then SIGTERM, which checkpoints every collection.
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            var code = await engine.StopAsync();
            if (code != 0)
            {
                result.AddViolation($"{where}: a clean stop exited with {code}");
            }

            return;
        }

        // No stop signal: each writer goes on until a request fails, so each kill leaves exactly one
        // unknown write per writer (the one cut short, or the one sent to the dead engine).
        engine.Kill();
        await Task.WhenAll(writers);
    }

    private static EngineProcessOptions ForRound(KillSoakOptions options, string durability)
    {
        var engine = options.Engine;
        var environment = new Dictionary<string, string>(engine.Environment)
        {
            ["Engine__MaintenanceIntervalSeconds"] = options.MaintenanceInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        };
        return new()
        {
            DataDirectory = engine.DataDirectory,
            PlatformKey = engine.PlatformKey,
            EngineSecret = engine.EngineSecret,
            TenantId = engine.TenantId,
            Durability = durability,
            Environment = environment,
            StartTimeout = engine.StartTimeout,
        };
    }
}
