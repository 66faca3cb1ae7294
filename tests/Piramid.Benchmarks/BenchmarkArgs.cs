using System.Globalization;

namespace Piramid.Benchmarks;

/// <summary>
/// <c>--name value</c> options after the mode. Every option must be read by the mode; unread ones are
/// reported by <see cref="ThrowIfUnused"/> so a typo fails loudly instead of running the wrong benchmark.
/// </summary>
internal sealed class BenchmarkArgs
{
    private readonly Dictionary<string, string> _options;
    private readonly HashSet<string> _used = [];

    private BenchmarkArgs(Dictionary<string, string> options) => _options = options;

    public static BenchmarkArgs Parse(ReadOnlySpan<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new ArgumentException($"Expected an option like --name, got '{arg}'.");
            }

            string name = arg[2..];
            int equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                options[name[..equals]] = name[(equals + 1)..];
            }
            else if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                options[name] = args[++i];
            }
            else
            {
                options[name] = "true";
            }
        }

        return new BenchmarkArgs(options);
    }

    public string? GetString(string name)
    {
        _used.Add(name);
        return _options.TryGetValue(name, out string? value) ? value : null;
    }

    public string GetRequiredString(string name) =>
        GetString(name) ?? throw new ArgumentException($"--{name} is required.");

    public int GetInt(string name, int defaultValue, int min = int.MinValue)
    {
        string? text = GetString(name);
        if (text is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min)
        {
            throw new ArgumentException($"--{name} must be an integer >= {min}, got '{text}'.");
        }

        return value;
    }

    public void ThrowIfUnused()
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"Unknown option(s): {string.Join(", ", unknown.Select(k => "--" + k))}.");
        }
    }
}
