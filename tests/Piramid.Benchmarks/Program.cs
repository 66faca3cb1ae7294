using Piramid.Benchmarks;

// Usage: dotnet run -c Release --project tests/Piramid.Benchmarks -- <mode> [--option value ...]
// One mode per line, so that adding one never conflicts with another.
IBenchmarkMode[] modes =
[
    new KernelsMode(),
    new ExactMode(),
    new AnnMode(),
    new IngestMode(),
    new RecoveryMode(),
    new StartupMode(),
    new GatewayMode(),
    new NoisyMode(),
    new KillSoakMode(),
    new BackupStoreMode(),
    new SnapshotMode(),
    new BackupMode(),
    new ExportMode(),
    new AuditMode(),
    new ApiIngestMode(),
    new LinkCostMode(),
    new IngestDecodeMode(),
    new ApiFilterMode(),
    new DensityMode(),
    new LoadMode(),
];

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    PrintUsage(modes);
    return args.Length == 0 ? 2 : 0;
}

var mode = modes.FirstOrDefault(m => m.Name == args[0]);
if (mode is null)
{
    Console.Error.WriteLine($"Unknown mode '{args[0]}'.");
    PrintUsage(modes);
    return 2;
}

try
{
    return mode.Run(BenchmarkArgs.Parse(args.AsSpan(1)));
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine($"usage: {mode.Name} {mode.Usage}");
    return 2;
}

static void PrintUsage(IEnumerable<IBenchmarkMode> modes)
{
    Console.Error.WriteLine("usage: Piramid.Benchmarks <mode> [options]");
    foreach (var mode in modes)
    {
        Console.Error.WriteLine($"  {mode.Name} {mode.Usage}");
    }
}
