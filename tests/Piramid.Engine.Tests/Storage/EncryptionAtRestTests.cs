using System.Text;
using Piramid.Engine.Audit;
using Piramid.Engine.Crypto;
using Piramid.Engine.Storage;
using Piramid.KeyWrapping;

namespace Piramid.Engine.Tests.Storage;

public sealed class EncryptionAtRestTests : IDisposable
{
    private const string Marker = "PIRAMID-SECRET-MARKER-7f3a";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task EveryFile_NeverContainsPayloadInClearAndNeverSharesASalt()
    {
        using var platform = PlatformKey.FromBase64(PlatformKey.GenerateBase64());
        using var key = DataKeyStore.OpenOrCreate(_temp.Path, platform);
        var marker = Encoding.UTF8.GetBytes(Marker);
        var walDirectory = _temp.Combine("wal");
        var options = new WalOptions { Policy = DurabilityPolicy.Parse("always") };
        for (var open = 0; open < 3; open++)
        {
            await using var log = WriteAheadLog.Open(walDirectory, key, options, 0, _ => { });
            await log.WaitDurableAsync(log.Append(1, marker));
            log.Rotate();
            await log.WaitDurableAsync(log.Append(1, marker));
        }

        CheckpointStore.Write(_temp.Combine("checkpoints"), key, 1, [marker]);
        CheckpointStore.Write(_temp.Combine("checkpoints"), key, 2, [marker]);
        EncryptedFile.WriteAtomic(_temp.Combine("manifest.bin"), key, FileKind.Manifest, marker);
        using (var audit = AuditLog.Open(_temp.Combine("audit"), key, TimeProvider.System))
        {
            audit.Append(Marker, Marker, Marker, Marker, Marker);
        }

        var files = Directory.GetFiles(_temp.Path, "*", SearchOption.AllDirectories);
        Assert.Equal(11, files.Length); // 6 WAL segments, 2 checkpoints, manifest, audit segment, wrapped key
        var forms = new[]
        {
            marker,
            Encoding.Unicode.GetBytes(Marker),
            Encoding.ASCII.GetBytes(Convert.ToBase64String(marker).TrimEnd('=')[..^1]),
        };
        foreach (var file in files)
        {
            var content = File.ReadAllBytes(file);
            Assert.All(forms, form => Assert.True(content.AsSpan().IndexOf(form) < 0, $"{file} holds the marker in clear"));
        }

        var salts = files.Where(f => Path.GetFileName(f) != DataKeyStore.FileName)
            .Select(f => Convert.ToHexString(File.ReadAllBytes(f).AsSpan(8, 16)))
            .ToList();
        Assert.Equal(salts.Count, salts.Distinct().Count());
    }
}
