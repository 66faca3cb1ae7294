using Piramid.TestKit.Platform;

namespace Piramid.Gateway.Tests.Support;

/// <summary>Gateway tests share one PostgreSQL cluster (each gets its own database).</summary>
[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<PostgresFixture>
{
    /// <summary>Collection name.</summary>
    public const string Name = "gateway";
}
