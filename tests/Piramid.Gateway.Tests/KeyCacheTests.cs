using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Piramid.Contracts.Admin;
using Piramid.Gateway.Authentication;
using Piramid.Gateway.ControlPlane;
using Piramid.TestKit;
using Piramid.TestKit.Time;

namespace Piramid.Gateway.Tests;

/// <summary>
/// The real <see cref="KeyCache"/> against a control-plane stand-in on loopback whose introspection answers the
/// test releases, so the races between an answer and a revocation are played in a fixed order.
/// </summary>
public sealed class KeyCacheTests
{
    private static readonly byte[] Hash = SHA256.HashData("secret"u8);

    [Fact]
    public async Task AnAnswerFromBeforeARevocation_ServesItsRequest_ButIsNotCached()
    {
        await using var controlPlane = await StandIn.StartAsync();
        var cache = controlPlane.Cache(new ManualClock(DateTimeOffset.UtcNow));

        // The question is out; the revocation is processed while the answer is held; then the answer arrives.
        var held = controlPlane.HoldNext();
        var resolving = cache.ResolveAsync("key1", Hash, CancellationToken.None);
        await held.Asked.WaitAsync(TimeSpan.FromSeconds(30));
        cache.EvictKey("key1", changeId: 1);
        held.Release();
        Assert.NotNull((await resolving).Identity);

        // Had the stale answer been cached, this would not ask again and would let a revoked key in.
        controlPlane.Revoked = true;
        Assert.Null((await cache.ResolveAsync("key1", Hash, CancellationToken.None)).Identity);
        Assert.Equal(2, controlPlane.Introspections);
    }

    [Fact]
    public async Task ATenantOrPlanEviction_DuringAnIntrospection_AlsoKeepsItsAnswerOutOfTheCache()
    {
        await using var controlPlane = await StandIn.StartAsync();
        var cache = controlPlane.Cache(new ManualClock(DateTimeOffset.UtcNow));
        var evictions = new Action[] { () => cache.EvictTenant("tenant1", changeId: 1), () => cache.EvictPlan("free", changeId: 1) };
        for (var i = 0; i < evictions.Length; i++)
        {
            var keyId = $"key-{i}";
            var before = controlPlane.Introspections;
            var held = controlPlane.HoldNext();
            var resolving = cache.ResolveAsync(keyId, Hash, CancellationToken.None);
            await held.Asked.WaitAsync(TimeSpan.FromSeconds(30));
            evictions[i]();
            held.Release();
            await resolving;
            await cache.ResolveAsync(keyId, Hash, CancellationToken.None);
            Assert.Equal(before + 2, controlPlane.Introspections);

            // Without an eviction in between, the second answer was cached: asking again costs nothing.
            await cache.ResolveAsync(keyId, Hash, CancellationToken.None);
            Assert.Equal(before + 2, controlPlane.Introspections);
        }
    }

    [Fact]
    public async Task ControlPlaneAway_LastKnownAnswerServesForTheGrace_ThenUnavailable_NeverAnError()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var controlPlane = await StandIn.StartAsync();
        var cache = controlPlane.Cache(clock, lifetime: TimeSpan.FromSeconds(60), grace: TimeSpan.FromMinutes(10));
        Assert.NotNull((await cache.ResolveAsync("key1", Hash, CancellationToken.None)).Identity);
        await controlPlane.DisposeAsync();

        // Stale, control plane down: the last good answer serves up to the grace after it went stale.
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.NotNull((await cache.ResolveAsync("key1", Hash, CancellationToken.None)).Identity);
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.NotNull((await cache.ResolveAsync("key1", Hash, CancellationToken.None)).Identity);

        // Past the grace: unavailable (a 503), not invalid (a 401) and not an exception (a 500).
        clock.Advance(TimeSpan.FromMinutes(1));
        var late = await cache.ResolveAsync("key1", Hash, CancellationToken.None);
        Assert.True(late.Unavailable);
        Assert.Null(late.Identity);

        // A key never seen, or another secret for a known key id, is unavailable at once.
        Assert.True((await cache.ResolveAsync("key2", Hash, CancellationToken.None)).Unavailable);
        Assert.True((await cache.ResolveAsync("key1", SHA256.HashData("other"u8), CancellationToken.None)).Unavailable);
    }

    [Fact]
    public async Task ALateEventTheAnswerAlreadyReflects_DoesNotEvictIt_SoAnOutageRightAfterStillServesTheKey()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var controlPlane = await StandIn.StartAsync();
        controlPlane.ChangesThrough = 7; // the key's and its tenant's creation were changes 6 and 7
        var cache = controlPlane.Cache(clock);
        Assert.NotNull((await cache.ResolveAsync("key1", Hash, CancellationToken.None)).Identity);

        // The change feed delivers those creations after the first answer was cached.
        cache.EvictTenant("tenant1", changeId: 6);
        cache.EvictKey("key1", changeId: 7);
        cache.EvictPlan("free", changeId: 7);
        Assert.Equal(1, cache.Count);

        // The control plane goes away and the entry goes stale: its last answer still serves (it was a 503 before).
        await controlPlane.DisposeAsync();
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.NotNull((await cache.ResolveAsync("key1", Hash, CancellationToken.None)).Identity);
        Assert.Equal(1, controlPlane.Introspections);
    }

    [Fact]
    public async Task AnEventNewerThanTheAnswer_EvictsIt_WhateverItsKind()
    {
        await using var controlPlane = await StandIn.StartAsync();
        controlPlane.ChangesThrough = 7;
        var cache = controlPlane.Cache(new ManualClock(DateTimeOffset.UtcNow));
        var evictions = new Action[]
        {
            () => cache.EvictKey("key1", changeId: 8), () => cache.EvictTenant("tenant1", changeId: 8), () => cache.EvictPlan("free", changeId: 8),
        };
        foreach (var evict in evictions)
        {
            await cache.ResolveAsync("key1", Hash, CancellationToken.None);
            Assert.Equal(1, cache.Count);
            evict();
            Assert.Equal(0, cache.Count);
        }

        Assert.Equal(3, controlPlane.Introspections);
    }

    [Fact]
    public async Task AnAnswerInFlightDuringAnEvictionItAlreadyReflects_IsCached()
    {
        await using var controlPlane = await StandIn.StartAsync();
        controlPlane.ChangesThrough = 9;
        var cache = controlPlane.Cache(new ManualClock(DateTimeOffset.UtcNow));
        var held = controlPlane.HoldNext();
        var resolving = cache.ResolveAsync("key1", Hash, CancellationToken.None);
        await held.Asked.WaitAsync(TimeSpan.FromSeconds(30));
        cache.EvictKey("key1", changeId: 9);
        held.Release();
        Assert.NotNull((await resolving).Identity);
        Assert.Equal(1, cache.Count);

        // One step further: an eviction the held answer does not reflect keeps it out, as before.
        controlPlane.ChangesThrough = 9;
        held = controlPlane.HoldNext();
        resolving = cache.ResolveAsync("key2", Hash, CancellationToken.None);
        await held.Asked.WaitAsync(TimeSpan.FromSeconds(30));
        cache.EvictKey("key2", changeId: 10);
        held.Release();
        Assert.NotNull((await resolving).Identity);
        Assert.Equal(1, cache.Count);
    }

    /// <summary>A control plane that knows one key and can hold an introspection until the test releases it.</summary>
    private sealed class StandIn : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private Held? _next;
        private int _introspections;

        private StandIn(WebApplication app, Uri address)
        {
            _app = app;
            Address = address;
        }

        public Uri Address { get; }

        public bool Revoked { get; set; }

        public long ChangesThrough { get; set; }

        public int Introspections => Volatile.Read(ref _introspections);

        public static async Task<StandIn> StartAsync()
        {
            var url = $"http://127.0.0.1:{LoopbackPort.GetFree()}";
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls(url);
            var app = builder.Build();
            var standIn = new StandIn(app, new Uri(url + "/"));
            app.MapPost("/connect/token", () => Results.Json(new { access_token = "token", expires_in = 3600 }));
            app.MapPost("/internal/v1/keys/introspect", standIn.IntrospectAsync);
            await app.StartAsync();
            return standIn;
        }

        public Held HoldNext() => _next = new Held();

        public KeyCache Cache(TimeProvider clock, TimeSpan? lifetime = null, TimeSpan? grace = null)
        {
            var options = Options.Create(new GatewayOptions
            {
                ControlPlaneUrl = Address,
                ClientId = "gateway",
                ClientSecret = "secret",
                KeyCacheLifetime = lifetime ?? TimeSpan.FromSeconds(60),
                ControlPlaneOutageGrace = grace ?? TimeSpan.FromMinutes(10),
            });
            return new KeyCache(new ControlPlaneClient(new HttpClient(), options, clock), options, clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<KeyCache>.Instance);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        private async Task<IResult> IntrospectAsync()
        {
            Interlocked.Increment(ref _introspections);
            if (Interlocked.Exchange(ref _next, null) is { } held)
            {
                await held.WaitAsync();
            }

            return Revoked
                ? Results.NotFound()
                : Results.Json(new KeyIntrospectionResponse
                {
                    KeyId = "key1",
                    TenantId = "tenant1",
                    Role = "admin",
                    Collections = [],
                    Plan = new PlanInfo { Id = "free" },
                    ChangesThrough = ChangesThrough,
                }, Piramid.Contracts.Json.WireJson.Options);
        }
    }

    /// <summary>One held introspection: <see cref="Asked"/> completes when it arrived, <see cref="Release"/> lets it answer.</summary>
    private sealed class Held
    {
        private readonly TaskCompletionSource _asked = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Asked => _asked.Task;

        public void Release() => _released.SetResult();

        public Task WaitAsync()
        {
            _asked.SetResult();
            return _released.Task;
        }
    }
}
