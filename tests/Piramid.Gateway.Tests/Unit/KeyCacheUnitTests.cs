using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Piramid.Contracts.Admin;
using Piramid.Gateway.Authentication;

namespace Piramid.Gateway.Tests.Unit;

/// <summary>The key cache alone, against a hand-written introspector the test holds and releases.</summary>
public sealed class KeyCacheUnitTests
{
    private static readonly byte[] Hash = SHA256.HashData("secret"u8);

    [Theory]
    [InlineData(2)]
    [InlineData(50)]
    public async Task ConcurrentMisses_ForOneKey_MakeOneIntrospection(int requests)
    {
        var introspector = new HeldIntrospector();
        var cache = Cache(introspector, new FakeTimeProvider(DateTimeOffset.UtcNow));

        // Every request misses while the one question is out (they all join before it is answered).
        var resolving = Enumerable.Range(0, requests).Select(_ => cache.ResolveAsync("key1", Hash, CancellationToken.None)).ToArray();
        await introspector.Asked.WaitAsync(TimeSpan.FromSeconds(30));
        introspector.Release();
        var answers = await Task.WhenAll(resolving);

        Assert.All(answers, a => Assert.Equal("tenant1", a.Identity?.TenantId));
        Assert.Equal(1, introspector.Calls);
        Assert.Equal(1, cache.Lookups);
    }

    [Fact]
    public async Task ConcurrentMisses_WithAnotherSecret_AreAnotherQuestion()
    {
        var introspector = new HeldIntrospector();
        var cache = Cache(introspector, new FakeTimeProvider(DateTimeOffset.UtcNow));
        var right = cache.ResolveAsync("key1", Hash, CancellationToken.None);
        var wrong = cache.ResolveAsync("key1", SHA256.HashData("guess"u8), CancellationToken.None);
        introspector.Release();

        Assert.NotNull((await right).Identity);
        Assert.Null((await wrong).Identity); // a guess never rides on the right secret's answer
        Assert.Equal(2, introspector.Calls);
    }

    [Fact]
    public async Task AWaiterGivingUp_DoesNotCancelTheQuestionForTheOthers()
    {
        var introspector = new HeldIntrospector();
        var cache = Cache(introspector, new FakeTimeProvider(DateTimeOffset.UtcNow));
        using var impatient = new CancellationTokenSource();
        var first = cache.ResolveAsync("key1", Hash, impatient.Token);
        var second = cache.ResolveAsync("key1", Hash, CancellationToken.None);
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);

        introspector.Release();
        Assert.NotNull((await second).Identity);
        Assert.Equal(1, introspector.Calls);
    }

    [Fact]
    public async Task ARevocationWhileAQuestionIsOut_LaterRequestsAskAgain_AndTheOldAnswerIsNotCached()
    {
        var introspector = new HeldIntrospector();
        var cache = Cache(introspector, new FakeTimeProvider(DateTimeOffset.UtcNow));
        var before = cache.ResolveAsync("key1", Hash, CancellationToken.None);
        await introspector.Asked.WaitAsync(TimeSpan.FromSeconds(30));

        // The change feed revokes the key while the first question is out.
        introspector.Revoked = true;
        cache.EvictKey("key1", changeId: 1);
        var after = cache.ResolveAsync("key1", Hash, CancellationToken.None);
        introspector.Release();

        Assert.NotNull((await before).Identity); // asked before the revocation: served, as a request in flight is
        Assert.Null((await after).Identity); // asked after it: a question of its own, refused
        Assert.Equal(2, introspector.Calls);
        Assert.Equal(0, cache.Count);
        Assert.Null((await cache.ResolveAsync("key1", Hash, CancellationToken.None)).Identity);
        Assert.Equal(2, introspector.Calls); // the refusal is cached (negatively)
    }

    [Fact]
    public async Task ATenantEvictionWhileAQuestionIsOut_LaterRequestsAskAgain()
    {
        var introspector = new HeldIntrospector();
        var cache = Cache(introspector, new FakeTimeProvider(DateTimeOffset.UtcNow));
        var before = cache.ResolveAsync("key1", Hash, CancellationToken.None);
        cache.EvictTenant("tenant1", changeId: 1);
        var after = cache.ResolveAsync("key1", Hash, CancellationToken.None);
        introspector.Release();
        await Task.WhenAll(before, after);

        Assert.Equal(2, introspector.Calls);
        Assert.Equal(1, cache.Count); // the second answer, asked after the eviction, is cached
        await cache.ResolveAsync("key1", Hash, CancellationToken.None);
        Assert.Equal(2, introspector.Calls);
    }

    [Fact]
    public async Task ManyKeys_StayWithinTheCacheSize_AndTheNewestIsKept()
    {
        const int size = 100;
        var introspector = new HeldIntrospector();
        introspector.Release();
        var cache = Cache(introspector, new FakeTimeProvider(DateTimeOffset.UtcNow), size);
        for (var i = 0; i < 10 * size; i++)
        {
            Assert.NotNull((await cache.ResolveAsync($"key-{i}", Hash, CancellationToken.None)).Identity);
            Assert.InRange(cache.Count, Math.Min(i + 1, size * 9 / 10), size);
        }

        var calls = introspector.Calls;
        Assert.NotNull((await cache.ResolveAsync($"key-{(10 * size) - 1}", Hash, CancellationToken.None)).Identity);
        Assert.Equal(calls, introspector.Calls);
    }

    [Fact]
    public async Task AFullCache_DropsEntriesPastTheirOutageGraceFirst()
    {
        const int size = 100;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var introspector = new HeldIntrospector();
        introspector.Release();
        var cache = Cache(introspector, clock, size);
        for (var i = 0; i < size / 2; i++)
        {
            await cache.ResolveAsync($"old-{i}", Hash, CancellationToken.None);
        }

        clock.Advance(TimeSpan.FromMinutes(20)); // lifetime 60 s + grace 10 min: the old ones could not serve anything
        for (var i = 0; i < size / 2; i++)
        {
            await cache.ResolveAsync($"new-{i}", Hash, CancellationToken.None);
        }

        await cache.ResolveAsync("one-more", Hash, CancellationToken.None);
        Assert.Equal((size / 2) + 1, cache.Count); // the old half went, every recent key stayed
        var calls = introspector.Calls;
        for (var i = 0; i < size / 2; i++)
        {
            await cache.ResolveAsync($"new-{i}", Hash, CancellationToken.None);
        }

        Assert.Equal(calls, introspector.Calls);
    }

    [Fact]
    public async Task ControlPlaneDown_EveryWaiterGetsUnavailable_FromOneQuestion()
    {
        var introspector = new HeldIntrospector { Down = true };
        var cache = Cache(introspector, new FakeTimeProvider(DateTimeOffset.UtcNow));
        var resolving = Enumerable.Range(0, 10).Select(_ => cache.ResolveAsync("key1", Hash, CancellationToken.None)).ToArray();
        introspector.Release();

        Assert.All(await Task.WhenAll(resolving), a => Assert.True(a.Unavailable));
        Assert.Equal(1, introspector.Calls);
    }

    [Fact]
    public async Task ControlPlaneDown_AStaleAnswerServesWithinTheGrace_NotPastTheKeysExpiry()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var introspector = new HeldIntrospector { ExpiresAt = clock.GetUtcNow() + TimeSpan.FromMinutes(3) };
        introspector.Release();
        var cache = Cache(introspector, clock);
        Assert.NotNull((await cache.ResolveAsync("key1", Hash, CancellationToken.None)).Identity);

        introspector.Down = true;
        clock.Advance(TimeSpan.FromMinutes(2)); // stale, within the grace and the key's life
        Assert.NotNull((await cache.ResolveAsync("key1", Hash, CancellationToken.None)).Identity);
        clock.Advance(TimeSpan.FromMinutes(2)); // within the grace, past the key's expiry
        Assert.True((await cache.ResolveAsync("key1", Hash, CancellationToken.None)).Unavailable);
    }

    private static KeyCache Cache(IKeyIntrospector introspector, TimeProvider clock, int size = 100_000)
    {
        var options = Options.Create(new GatewayOptions
        {
            ControlPlaneUrl = new Uri("http://127.0.0.1:1/"),
            KeyCacheLifetime = TimeSpan.FromSeconds(60),
            ControlPlaneOutageGrace = TimeSpan.FromMinutes(10),
            KeyCacheSize = size,
        });
        return new KeyCache(introspector, options, clock, NullLogger<KeyCache>.Instance);
    }

    /// <summary>Knows one secret for every key id; answers once released; its verdict is taken when asked.</summary>
    private sealed class HeldIntrospector : IKeyIntrospector
    {
        private readonly TaskCompletionSource _asked = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task Asked => _asked.Task;

        public bool Revoked { get; set; }

        public bool Down { get; set; }

        public DateTimeOffset? ExpiresAt { get; init; }

        public void Release() => _released.TrySetResult();

        public async Task<KeyIntrospectionResponse?> IntrospectAsync(string keyId, byte[] secretHash, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            var (revoked, down) = (Revoked, Down);
            _asked.TrySetResult();
            await _released.Task;
            if (down)
            {
                throw new HttpRequestException("connection refused");
            }

            return revoked || !secretHash.AsSpan().SequenceEqual(Hash)
                ? null
                : new KeyIntrospectionResponse { KeyId = keyId, TenantId = "tenant1", Role = "admin", Collections = [], Plan = new PlanInfo { Id = "free" }, ExpiresAt = ExpiresAt };
        }
    }
}
