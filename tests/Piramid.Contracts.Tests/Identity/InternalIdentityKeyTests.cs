using System.Collections.Concurrent;
using Piramid.Contracts.Identity;

namespace Piramid.Contracts.Tests.Identity;

public sealed class InternalIdentityKeyTests
{
    private static readonly byte[] Secret = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();

    private static InternalIdentity Identity(int i) =>
        new("key-1", "tenant-a", Roles.ReadOnly, "POST", $"/v1/collections/docs{i}/search", 1_700_000_000_000 + i, $"{i:x32}", i % 2 == 0 ? [] : ["docs"]);

    [Fact]
    public void SignWithAKeptKey_GivesTheHeaderOfTheOneShotSigner()
    {
        var key = new InternalIdentityKey(Secret);
        for (var i = 0; i < 50; i++)
        {
            // The kept HMAC state is reset after each header: a leftover would change every later MAC.
            Assert.Equal(InternalIdentitySigner.Sign(Identity(i), Secret), InternalIdentitySigner.Sign(Identity(i), key));
        }

        // A long path takes the rented buffer instead of the stack.
        var longPath = Identity(0) with { Path = "/v1/collections/docs/points/" + new string('x', 2000) };
        var header = InternalIdentitySigner.Sign(longPath, key);
        Assert.Equal(InternalIdentitySigner.Sign(longPath, Secret), header);
        Assert.True(InternalIdentitySigner.TryVerify(header, Secret, out var parsed));
        Assert.Equal(longPath.Path, parsed!.Path);
    }

    [Fact]
    public void SignWithAKeptKey_FromManyThreadsAtOnce_EveryHeaderVerifies()
    {
        var key = new InternalIdentityKey(Secret);
        var wrong = new ConcurrentBag<int>();
        Parallel.For(0, 4_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            if (!InternalIdentitySigner.TryVerify(InternalIdentitySigner.Sign(Identity(i), key), Secret, out var parsed) || parsed!.Path != Identity(i).Path)
            {
                wrong.Add(i);
            }
        });
        Assert.Empty(wrong);
    }

    [Fact]
    public void AShortSecret_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new InternalIdentityKey(new byte[16]));
    }

    [Fact]
    public void Nonces_Are32LowercaseHex_AndNeverRepeat_AcrossRefillsAndThreads()
    {
        var seen = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var repeated = 0;
        // 4 threads x 2,000 nonces: each thread refills its 4 KiB buffer (256 nonces) several times.
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                var nonce = InternalIdentityNonce.Next();
                Assert.Equal(32, nonce.Length);
                Assert.All(nonce, c => Assert.True(c is >= '0' and <= '9' or >= 'a' and <= 'f', $"'{c}' in {nonce}"));
                if (!seen.TryAdd(nonce, 0))
                {
                    Interlocked.Increment(ref repeated);
                }
            }
        });
        Assert.Equal(0, repeated);
        Assert.Equal(8_000, seen.Count);
    }
}
