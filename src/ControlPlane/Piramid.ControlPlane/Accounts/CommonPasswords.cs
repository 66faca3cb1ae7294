using System.Collections.Frozen;

namespace Piramid.ControlPlane.Accounts;

/// <summary>The shipped list of common passwords (Data/common-passwords.txt, see Data/README.md), lower-cased.</summary>
public static class CommonPasswords
{
    private static readonly Lazy<FrozenSet<string>> List = new(Load);

    /// <summary>Number of entries.</summary>
    public static int Count => List.Value.Count;

    /// <summary>True when <paramref name="lowerCase"/> is on the list.</summary>
    public static bool Contains(string lowerCase) => List.Value.Contains(lowerCase);

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(CommonPasswords).Assembly.GetManifestResourceStream("Piramid.ControlPlane.Accounts.common-passwords.txt")
            ?? throw new InvalidOperationException("The common password list is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith("#!comment:", StringComparison.Ordinal))
            {
                words.Add(line.ToLowerInvariant());
            }
        }

        return words.ToFrozenSet(StringComparer.Ordinal);
    }
}
