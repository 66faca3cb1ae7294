using Piramid.Terraform.Provider.Resources;

namespace Piramid.Terraform.Tests;

/// <summary>API problems point at the attribute their detail names.</summary>
public sealed class ProblemReportTests
{
    [Theory]
    [InlineData("'index.ef' must be between 1 and 10000; got 0.", "index.ef")]
    [InlineData("'dimension' must be between 1 and 20000.", "dimension")]
    [InlineData("Field 'year' of 'schema' has an unknown type.", "schema")]
    [InlineData("'metric' must be cosine, dot or euclidean.", "metric")]
    public void CollectionProblems_PointAtTheirAttribute(string detail, string path) =>
        Assert.Equal(path, ProblemReport.PathOf(detail, PlanHarness.Resource("piramid_collection").Schema)?.ToString());

    [Fact]
    public void ProblemNamingNoAttribute_HasNoPath() =>
        Assert.Null(ProblemReport.PathOf("Tenant 'ten_1' does not exist.", PlanHarness.Resource("piramid_api_key").Schema));
}
