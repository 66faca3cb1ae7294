using System.Text.Json;
using Piramid.Contracts.Collections;
using Piramid.Contracts.Json;
using Piramid.DataPlane.Api;

namespace Piramid.DataPlane.Tests.Api;

/// <summary>The AOT engine's source-generated JSON spells the wire exactly as the shared options do.</summary>
public sealed class EngineJsonContextTests
{
    private static readonly CollectionInfo Sample = new()
    {
        Name = "docs",
        Dimension = 3,
        Metric = "cosine",
        Index = new IndexSettings(),
        Quantization = "none",
        Status = "ready",
        Count = 7,
        BytesOnDisk = 1024,
        CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
    };

    [Fact]
    public void Context_WritesWhatTheSharedOptionsWrite()
    {
        var generated = JsonSerializer.Serialize(Sample, EngineJsonContext.Default.CollectionInfo);
        var shared = JsonSerializer.Serialize(Sample, WireJson.Options);
        Assert.Equal(shared, generated);
        Assert.Contains("\"bytes_on_disk\":1024", generated, StringComparison.Ordinal);
    }

    [Fact]
    public void Context_RefusesUnknownMembersAsServersDo()
    {
        Assert.Equal(WireJson.ServerUnmappedMembers, EngineJsonContext.Default.Options.UnmappedMemberHandling);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"name":"docs","dimension":3,"top_kk":1}""", EngineJsonContext.Default.CreateCollectionRequest));
    }
}
