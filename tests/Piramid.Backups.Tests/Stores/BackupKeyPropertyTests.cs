using System.Text;
using Piramid.Backups.Stores;
using Piramid.Backups.Stores.Filesystem;
using Piramid.TestKit;

namespace Piramid.Backups.Tests.Stores;

/// <summary>
/// Keys generated from pieces that break paths (separators, dots, backslashes, control characters, lone
/// surrogates, reserved suffixes): whatever the key, the filesystem store never touches a file outside its root,
/// a valid key maps to exactly one file whose relative path is the key, and an invalid one writes nothing.
/// </summary>
public sealed class BackupKeyPropertyTests : IDisposable
{
    private static readonly string[] Pieces =
    [
        "a", "b", "Z9", "é", "日本", "😀", "-", "_", "~", " ", "%2e", "/", "/", "//", ".", "..", "...", "\\", "\0", "\n",
        "\t", "\u007f", "\u0085", "\u200b", "\ud800", "\udc00", ".sha256", ".partial", "sha256", ":", "*",
    ];

    private readonly TempDirectory _directory = new("piramid-keys");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void GeneratedKeys_ValidOnesMapInsideTheRoot_InvalidOnesAreRefused()
    {
        var store = new FilesystemBackupStore(_directory.Combine("store"));
        var root = store.RootDirectory + Path.DirectorySeparatorChar;
        var random = new Random(20261206);
        int valid = 0, invalid = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var key = Generate(random);
            if (BackupKey.IsValid(key))
            {
                valid++;
                var path = store.PathOf(key);
                Assert.StartsWith(root, path, StringComparison.Ordinal);
                // No normalization happened: the file's relative path spells the key itself.
                Assert.Equal(key, Path.GetRelativePath(store.RootDirectory, path));
                Assert.True(IsValidByReference(key), $"accepted '{BackupKey.Printable(key)}'");
            }
            else
            {
                invalid++;
                var error = Assert.Throws<InvalidBackupKeyException>(() => BackupKey.Validate(key));
                Assert.Equal(key, error.Key);
                Assert.False(IsValidByReference(key), $"refused '{BackupKey.Printable(key)}': {error.Message}");
            }
        }

        // The generator must exercise both sides, or the property proves nothing.
        Assert.True(valid > 2_000 && invalid > 2_000, $"{valid} valid, {invalid} invalid");
    }

    [Fact]
    public async Task GeneratedKeys_PutThroughTheStore_OnlyValidOnesAreWritten_AllUnderTheRoot()
    {
        var store = new FilesystemBackupStore(_directory.Combine("store"));
        var blob = Blob.Create(1, 16);
        var random = new Random(7);
        var written = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 600; i++)
        {
            var key = Generate(random);
            try
            {
                await store.PutAsync(key, blob.Stream(), 16, blob.Sha256Hex, null, default);
                written.Add(key);
            }
            catch (InvalidBackupKeyException error)
            {
                // Invalid keys, and valid ones that clash with a file or a directory already there (a filesystem limit).
                Assert.True(
                    !BackupKey.IsValid(key) || error.Message.Contains("is an object", StringComparison.Ordinal)
                        || error.Message.Contains("other objects are stored under it", StringComparison.Ordinal),
                    error.Message);
            }
        }

        Assert.True(written.Count > 100, $"{written.Count} keys written");
        var listed = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var info in store.ListAsync("", default))
        {
            listed.Add(info.Key);
        }

        Assert.Equal(written.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        // Nothing at all appeared outside the store's directory (the temp directory holds only it).
        Assert.Equal([_directory.Combine("store")], Directory.GetFileSystemEntries(_directory.Path));
        foreach (var key in written)
        {
            Assert.Equal(blob.Bytes, await File.ReadAllBytesAsync(store.PathOf(key)));
        }
    }

    private static string Generate(Random random)
    {
        var builder = new StringBuilder();
        var count = random.Next(1, 7);
        for (var i = 0; i < count; i++)
        {
            // Plain letters most of the time, so that valid keys are common enough.
            builder.Append(random.Next(3) == 0 ? Pieces[random.Next(Pieces.Length)] : Pieces[random.Next(3)]);
        }

        return builder.ToString();
    }

    // The rules of docs/design/backups.md written independently of BackupKey, as the oracle.
    private static bool IsValidByReference(string key)
    {
        if (key.Length == 0 || key.StartsWith('/') || key.EndsWith('/') || key.Contains('\\', StringComparison.Ordinal))
        {
            return false;
        }

        if (key.Any(char.IsControl))
        {
            return false;
        }

        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(key);
        }
        catch (EncoderFallbackException)
        {
            return false;
        }

        return key.Split('/').All(s => s.Length > 0 && s != "." && s != ".." && !s.EndsWith(".sha256", StringComparison.Ordinal)
            && !s.EndsWith(".partial", StringComparison.Ordinal));
    }
}
