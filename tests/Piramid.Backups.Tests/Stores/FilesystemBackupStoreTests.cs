using System.Runtime.Versioning;
using Microsoft.Extensions.Time.Testing;
using Piramid.Backups.Stores;
using Piramid.Backups.Stores.Filesystem;
using Piramid.TestKit;

namespace Piramid.Backups.Tests.Stores;

/// <summary>The store contract on <see cref="FilesystemBackupStore"/>, plus its file layout and modes.</summary>
public sealed class FilesystemBackupStoreTests : BackupStoreContract
{
    private readonly TempDirectory _directory = new("piramid-backups");

    private FilesystemBackupStore Filesystem => (FilesystemBackupStore)Store;

    protected override Task<IBackupStore> CreateStoreAsync() =>
        Task.FromResult<IBackupStore>(new FilesystemBackupStore(_directory.Combine("store")));

    protected override Task TamperAsync(string key) => FileDamage.FlipMiddleByteAsync(Filesystem.PathOf(key));

    protected override Task TruncateAsync(string key)
    {
        var path = Filesystem.PathOf(key);
        using var file = new FileStream(path, FileMode.Open);
        file.SetLength(file.Length / 2);
        return Task.CompletedTask;
    }

    public override Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Put_WritesTheObjectAndItsHashFile_OwnerOnly()
    {
        var blob = Blob.Create(1, 4096);
        const string key = "tenants/t1/backups/b1/manifest.json";
        await Store.PutAsync(key, blob.Stream(), blob.Bytes.Length, blob.Sha256Hex, null, default);

        var path = Filesystem.PathOf(key);
        Assert.Equal(_directory.Combine("store", "tenants", "t1", "backups", "b1", "manifest.json"), path);
        Assert.Equal($"{blob.Sha256Hex} 4096\n", await File.ReadAllTextAsync(path + ".sha256"));
        const UnixFileMode Owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(Owner, File.GetUnixFileMode(path));
        Assert.Equal(Owner, File.GetUnixFileMode(path + ".sha256"));
        foreach (var directory in new[] { "store", "store/tenants", "store/tenants/t1", "store/tenants/t1/backups", "store/tenants/t1/backups/b1", "store/.partial" })
        {
            Assert.Equal(Owner | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory.Combine(directory)));
        }
    }

    [Fact]
    public async Task Put_InterruptedOrRefused_LeavesNoTemporaryFile()
    {
        var blob = Blob.Create(2, 3 << 20);
        await Assert.ThrowsAsync<IOException>(
            () => Store.PutAsync("x/y", new FailingStream(blob.Bytes, 1 << 20), blob.Bytes.Length, blob.Sha256Hex, null, default));
        await Assert.ThrowsAsync<BackupObjectCorruptedException>(
            () => Store.PutAsync("x/y", blob.Stream(), blob.Bytes.Length, new string('a', 64), null, default));

        Assert.Empty(Directory.GetFileSystemEntries(_directory.Combine("store", ".partial")));
        Assert.Empty(Directory.GetFiles(_directory.Combine("store"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task OpenRead_WithoutItsHashFile_ThrowsNamingTheKey()
    {
        var blob = Blob.Create(3, 100);
        await Store.PutAsync("k/v", blob.Stream(), 100, blob.Sha256Hex, null, default);
        File.Delete(Filesystem.PathOf("k/v") + ".sha256");

        var error = await Assert.ThrowsAsync<BackupObjectCorruptedException>(() => Store.OpenReadAsync("k/v", blob.Sha256Hex, default));
        Assert.Equal("k/v", error.Key);
    }

    [Fact]
    public async Task OpenRead_ObjectReplacedBehindTheStore_ThrowsWhenItsSizeDiffers()
    {
        var blob = Blob.Create(4, 1000);
        await Store.PutAsync("k/v", blob.Stream(), 1000, blob.Sha256Hex, null, default);
        await File.WriteAllBytesAsync(Filesystem.PathOf("k/v"), Blob.Create(5, 1001).Bytes);

        var error = await Assert.ThrowsAsync<BackupObjectCorruptedException>(() => Store.OpenReadAsync("k/v", blob.Sha256Hex, default));
        Assert.Contains("'k/v'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_UnderAKeyThatIsAnObject_IsRefusedNamingTheKey()
    {
        var blob = Blob.Create(6, 10);
        await Store.PutAsync("a/b", blob.Stream(), 10, blob.Sha256Hex, null, default);

        var error = await Assert.ThrowsAsync<InvalidBackupKeyException>(() => Store.PutAsync("a/b/c", blob.Stream(), 10, blob.Sha256Hex, null, default));
        Assert.Contains("a/b/c", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_RemovesPartialFilesOlderThanADay_AndKeepsRecentOnes()
    {
        var root = _directory.Combine("store");
        var now = new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);
        var stale = Path.Combine(root, ".partial", "stale");
        var recent = Path.Combine(root, ".partial", "recent");
        File.WriteAllText(stale, "x");
        File.WriteAllText(recent, "x");
        File.SetLastWriteTimeUtc(stale, now.UtcDateTime.AddDays(-2));
        File.SetLastWriteTimeUtc(recent, now.UtcDateTime.AddHours(-1));

        _ = new FilesystemBackupStore(root, new FakeTimeProvider(now));

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(recent));
    }
}
