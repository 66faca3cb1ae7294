using System.Text;

namespace Piramid.TestKit;

/// <summary>Point ids that stress every layer a path passes through: escapes, separators, unicode.</summary>
public static class AwkwardIds
{
    /// <summary>
    /// <paramref name="fixedIds"/>, then seeded random mixes of <paramref name="awkward"/> pieces with random
    /// printable ASCII and unicode until <paramref name="mixes"/> more are made: 1-64 UTF-8 bytes, no edge
    /// spaces, never "." or ".." (dot segments every HTTP stack removes), no repeats.
    /// </summary>
    public static List<string> Generate(Random random, IReadOnlyList<string> awkward, IEnumerable<string> fixedIds, int mixes)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(awkward);
        var ids = new List<string>(fixedIds);
        var wanted = ids.Count + mixes;
        while (ids.Count < wanted)
        {
            var builder = new StringBuilder();
            var parts = random.Next(1, 6);
            for (var p = 0; p < parts; p++)
            {
                builder.Append(random.Next(3) switch
                {
                    0 => awkward[random.Next(awkward.Count)],
                    1 => char.ConvertFromUtf32(random.Next(0x20, 0x7F)),
                    _ => char.ConvertFromUtf32(random.Next(0xA0, 0xD7FF)),
                });
            }

            var id = builder.ToString();
            if (Encoding.UTF8.GetByteCount(id) is >= 1 and <= 64 && id.Trim() == id && id is not "." and not ".." && !ids.Contains(id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    /// <summary>The id with control and non-ASCII characters escaped, for assertion messages.</summary>
    public static string Show(string id) =>
        string.Concat((id ?? string.Empty).Select(c => c < 0x20 || c > 0x7E ? $"\\u{(int)c:x4}" : c.ToString()));
}
