namespace Piramid.Benchmarks;

/// <summary>One benchmark mode (the first command-line argument). Add a class and list it in Program.cs.</summary>
internal interface IBenchmarkMode
{
    /// <summary>The mode's name on the command line.</summary>
    string Name { get; }

    /// <summary>The options, for the usage text.</summary>
    string Usage { get; }

    /// <summary>Runs the benchmark and returns the process exit code.</summary>
    int Run(BenchmarkArgs args);
}
