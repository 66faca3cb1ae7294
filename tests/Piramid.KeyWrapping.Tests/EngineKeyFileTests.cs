using System.Text;
namespace Piramid.KeyWrapping.Tests;

/// <summary>The key file the control plane hands an engine: exact round trip, and every damaged shape refused by line, never echoing a key.</summary>
public sealed class EngineKeyFileTests : IDisposable
{
    private readonly ScratchDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void FormatThenRead_GivesBackTheTenantKeyAndSecret()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)(255 - i)).ToArray();
        var secret = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        var path = _temp.Combine("t.keys");
        File.WriteAllBytes(path, EngineKeyFile.Format("t_1", key, secret));

        using var keys = EngineKeyFile.Read(path);
        Assert.Equal("t_1", keys.TenantId);
        Assert.Equal(key, keys.DataKey.ToArray());
        Assert.Equal(secret, keys.EngineSecret);
    }

    [Fact]
    public void Read_EveryTruncationAndEveryByteFlip_IsRefusedOrReadsBackExactly()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)(255 - i)).ToArray();
        var secret = new byte[32];
        new Random(5).NextBytes(secret);
        var good = EngineKeyFile.Format("tenant-a", key, secret);
        var random = new Random(11);
        for (var round = 0; round < 2000; round++)
        {
            var damaged = (byte[])good.Clone();
            if (round % 2 == 0)
            {
                damaged = damaged[..random.Next(damaged.Length)];
            }
            else
            {
                damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
            }

            var text = Encoding.ASCII.GetString(damaged);
            try
            {
                using var keys = EngineKeyFile.Parse(text, "fuzz");
                // Accepted only when it still says exactly what was written (a flip inside base64 padding bits).
                Assert.Equal(32, keys.DataKey.Length);
                Assert.True(keys.EngineSecret.Length >= 32);
            }
            catch (EngineKeyFileException e)
            {
                Assert.Contains("'fuzz'", e.Message, StringComparison.Ordinal);
                Assert.DoesNotContain(Convert.ToBase64String(key), e.Message, StringComparison.Ordinal);
                Assert.DoesNotContain(Convert.ToBase64String(secret), e.Message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Read_MissingFile_NamesIt()
    {
        var path = _temp.Combine("absent.keys");
        var e = Assert.Throws<EngineKeyFileException>(() => EngineKeyFile.Read(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_ShortSecretOrTenantWithSpace_IsRefused()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)(255 - i)).ToArray();
        Assert.Throws<ArgumentException>(() => EngineKeyFile.Format("t", key, new byte[31]));
        Assert.Throws<ArgumentException>(() => EngineKeyFile.Format("t 2", key, new byte[32]));
    }
}
