namespace Piramid.EndToEnd.Tests.Support;

/// <summary>All end-to-end tests share one platform, started once by <c>./piramid up</c>, one test at a time.</summary>
[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<LocalPlatform>
{
    /// <summary>Collection name.</summary>
    public const string Name = "platform";
}
