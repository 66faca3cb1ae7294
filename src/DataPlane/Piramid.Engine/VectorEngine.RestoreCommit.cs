using System.Globalization;
using System.Text;
using Piramid.Engine.Collections;
using Piramid.Engine.Storage;

namespace Piramid.Engine;

/// <summary>
/// The switch of a restore's whole set of collections, atomic across a crash (docs/design/backups.md, "Staged restore
/// and the atomic switch"). Once every collection is built and durable, one journal file,
/// <c>.restore-&lt;id&gt;/commit</c>, is written atomically: that write is the commit point of the set. Then each
/// collection moves in with two renames that can each be recognised afterwards (the live directory into
/// <c>.restore-&lt;id&gt;/old/</c>, the built one into its place). A crash before the journal leaves every live
/// collection as it was (the staging area is removed at start); a crash after it is rolled forward at start, before
/// any collection opens, so either all the restored collections serve or none does.
/// </summary>
public sealed partial class VectorEngine
{
    private const string CommitFile = "commit";

    /// <summary>
    /// One collection of a committed set: the built directory's id, and the live id it replaces (or null for a new one).
    /// The restored collection keeps the built id, never the live one: its log continues after the restored LSN, and
    /// under the old id its segment names would repeat names already archived from the replaced history (the archive's
    /// "timeline", docs/design/backups.md).
    /// </summary>
    private readonly record struct SwitchEntry(string BuildId, string? LiveId)
    {
        public string TargetId => BuildId;
    }

    private void SwitchInAll(string restoreId, IReadOnlyList<(string Name, string BuildId)> built)
    {
        lock (_catalogLock)
        {
            Step("switching");
            var entries = built.Select(b => new SwitchEntry(b.BuildId, _collections.TryGetValue(b.Name, out var live) ? Path.GetFileName(live.Directory) : null)).ToList();
            var staging = RestoreDirectory(restoreId);
            FileSync.WriteAtomic(Path.Combine(staging, CommitFile), Encoding.UTF8.GetBytes(FormatJournal(entries)));

            // Committed. The live collections stop taking writes (flushed, closed) before their files move, so nothing
            // acknowledged after this point is lost by the switch.
            foreach (var (name, _) in built)
            {
                if (_collections.TryRemove(name, out var live))
                {
                    var unarchived = CloseForDrop(live);
                    _idempotency.Forget(live.IdempotencyOwner);
                    NoteDropped(live);
                    HoldUnarchived(live, Path.Combine(live.Directory, "wal"), unarchived);
                }
            }

            foreach (var entry in entries)
            {
                MoveIn(staging, entry);
                Step("switched");
            }

            for (var i = 0; i < built.Count; i++)
            {
                _collections[built[i].Name] = Collection.Open(Path.Combine(CollectionsDirectory, entries[i].TargetId), _key, _options, Health, Quotas, _idempotency);
            }
        }
    }

    /// <summary>At start: finishes the switch of a committed set whose process died midway.</summary>
    private void RollForward(string staging)
    {
        var journal = Path.Combine(staging, CommitFile);
        if (!File.Exists(journal))
        {
            return; // never committed: the live collections are as they were
        }

        foreach (var entry in ParseJournal(File.ReadAllText(journal, Encoding.UTF8)))
        {
            MoveIn(staging, entry);
        }
    }

    // Each step is recognisable afterwards, so repeating it after a crash is safe: while the built directory still
    // exists the switch of this collection is unfinished; the live directory moves out first, then the built one in.
    private void MoveIn(string staging, SwitchEntry entry)
    {
        var build = Path.Combine(staging, "build", entry.BuildId);
        if (!Directory.Exists(build))
        {
            return;
        }

        var target = Path.Combine(CollectionsDirectory, entry.TargetId);
        var live = entry.LiveId is null ? null : Path.Combine(CollectionsDirectory, entry.LiveId);
        if (live is not null && Directory.Exists(live))
        {
            var old = Path.Combine(staging, "old");
            Directory.CreateDirectory(old);
            Directory.Move(live, Path.Combine(old, entry.LiveId!));
            FileSync.SyncDirectory(old);
        }

        Directory.Move(build, target);
        FileSync.SyncDirectory(CollectionsDirectory);
        FileSync.SyncDirectory(Path.GetDirectoryName(build)!);
    }

    private static string FormatJournal(IEnumerable<SwitchEntry> entries) =>
        string.Concat(entries.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.BuildId}\t{e.LiveId ?? "-"}\n")));

    private static IEnumerable<SwitchEntry> ParseJournal(string text)
    {
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t');
            if (parts.Length != 2 || !IsId(parts[0]) || (parts[1] != "-" && !IsId(parts[1])))
            {
                throw new StorageCorruptedException($"The restore journal has a malformed line '{line}'; the data directory needs attention.");
            }

            yield return new SwitchEntry(parts[0], parts[1] == "-" ? null : parts[1]);
        }

        static bool IsId(string s) => s.Length == 16 && s.All(char.IsAsciiHexDigitLower);
    }
}
