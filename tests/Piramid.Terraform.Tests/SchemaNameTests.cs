namespace Piramid.Terraform.Tests;

/// <summary>Every schema the provider serves can be written in HCL.</summary>
public sealed class SchemaNameTests
{
    // Terraform's meta-arguments and reserved names in resource and data blocks (e.g. 'count' is refused:
    // "The special count attribute is no longer supported").
    private static readonly string[] Reserved = ["count", "for_each", "depends_on", "lifecycle", "provider", "provisioner", "connection", "providers", "source", "version"];

    [Fact]
    public void NoResourceOrDataSourceAttribute_UsesAReservedName()
    {
        var provider = new Piramid.Terraform.Provider.PiramidProvider(_ => null, new HttpClient(), TimeProvider.System);
        var attributes = provider.Resources.SelectMany(r => r.Schema.Attributes.Select(a => $"{r.TypeName}.{a.Name}"))
            .Concat(provider.DataSources.SelectMany(d => d.Schema.Attributes.Select(a => $"data.{d.TypeName}.{a.Name}")));

        var clashing = attributes.Where(a => Reserved.Contains(a[(a.LastIndexOf('.') + 1)..])).ToList();
        Assert.True(clashing.Count == 0, "Reserved names: " + string.Join(", ", clashing));
    }
}
