using Microsoft.Extensions.Options;
using Piramid.ControlPlane.Tenants;
using Piramid.ControlPlane.Tests.Support;

namespace Piramid.ControlPlane.Tests.Admin;

/// <summary>The <c>Tenants</c> section is checked at start, each problem named by its key.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TenantOptionsTests(PostgresFixture postgres)
{
    [Fact]
    public void Validator_NegativeRetentionAndBadDefaultPlan_NameTheirKeys()
    {
        var validator = new TenantOptionsValidator();
        var result = validator.Validate(null, new TenantOptions { DeletedRetention = TimeSpan.FromDays(-1), DefaultPlan = "Gold Plan" });
        Assert.True(result.Failed);
        Assert.Contains("'Tenants:DeletedRetention'", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("'Tenants:DefaultPlan'", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(validator.Validate(null, new TenantOptions()).Succeeded);
        Assert.True(validator.Validate(null, new TenantOptions { DeletedRetention = TimeSpan.Zero }).Succeeded);
    }

    [Fact]
    public async Task Start_WithABadDefaultPlan_FailsNamingTheKey()
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var host = await ControlPlaneHost.StartAsync(postgres, new Dictionary<string, string?> { ["Tenants:DefaultPlan"] = "Gold Plan" });
        });
        Assert.Contains("'Tenants:DefaultPlan'", e.Message, StringComparison.Ordinal);
    }
}
