namespace Piramid.ControlPlane.Tests.Support;

// xUnit finds collection definitions only in the tests' own assembly; the fixture is TestKit's.
/// <summary>Tests sharing one cluster.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    /// <summary>Collection name.</summary>
    public const string Name = "postgres";
}
