using Piramid.Engine.Collections;
using Piramid.Engine.Crypto;
using Piramid.Engine.Storage;

namespace Piramid.Engine.Backups;

/// <summary>What an apply will do: which staged collections, under which names. Every refusal is a 4xx naming the problem.</summary>
internal sealed class RestorePlan
{
    private RestorePlan(List<Item> items) => Items = items;

    /// <summary>The staged collections to restore, in name order.</summary>
    public IReadOnlyList<Item> Items { get; }

    /// <summary>Reads the staged manifests and checks the request against them and the live names.</summary>
    public static RestorePlan Make(
        string restoreDirectory, DataKey key, IReadOnlyList<string>? names, IReadOnlyDictionary<string, string> rename, Func<string, bool> liveExists)
    {
        var staged = new Dictionary<string, (string Id, string Directory, CollectionConfig Config)>(StringComparer.Ordinal);
        var collections = Path.Combine(restoreDirectory, "files", "collections");
        foreach (var directory in Directory.Exists(collections) ? Directory.GetDirectories(collections) : [])
        {
            var id = Path.GetFileName(directory);
            if (!File.Exists(Path.Combine(directory, CollectionManifest.FileName)))
            {
                throw EngineException.Invalid($"'collections/{id}/manifest.bin' was not staged; every staged collection needs its manifest.");
            }

            CollectionConfig config;
            try
            {
                config = CollectionManifest.Read(directory, key);
            }
            catch (StorageCorruptedException)
            {
                throw EngineException.Invalid($"'collections/{id}/manifest.bin' does not decrypt or parse with this tenant's data key.");
            }

            if (!staged.TryAdd(config.Name, (id, directory, config)))
            {
                throw EngineException.Invalid($"Two staged collections are named '{config.Name}' (collections/{staged[config.Name].Id} and collections/{id}).");
            }
        }

        var chosen = names ?? [.. staged.Keys];
        if (chosen.Count == 0)
        {
            throw EngineException.Invalid("Nothing to restore: no collection was staged.");
        }

        foreach (var from in rename.Keys.Where(k => !chosen.Contains(k)))
        {
            throw EngineException.Invalid($"'rename.{from}': '{from}' is not among the collections being restored.");
        }

        var items = new List<Item>();
        var targets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in chosen.Distinct().Order(StringComparer.Ordinal))
        {
            if (!staged.TryGetValue(name, out var s))
            {
                throw EngineException.Invalid($"'collections': '{name}' was not staged in this restore.");
            }

            var target = rename.TryGetValue(name, out var to) ? to : name;
            if (!CollectionConfig.IsValidName(target))
            {
                throw EngineException.Invalid($"'rename.{name}': '{target}' is not a valid collection name.");
            }

            if (rename.ContainsKey(name) && liveExists(target))
            {
                throw EngineException.Conflict($"'rename.{name}': a collection named '{target}' already exists; pick another name or restore in place.");
            }

            if (!targets.Add(target))
            {
                throw EngineException.Invalid($"Two restored collections would both be named '{target}'.");
            }

            items.Add(new Item(s.Id, s.Directory, s.Config, target));
        }

        return new RestorePlan(items);
    }

    /// <summary>One staged collection and its name after the restore.</summary>
    public sealed record Item(string StagedId, string StagedDirectory, CollectionConfig Config, string TargetName);
}
