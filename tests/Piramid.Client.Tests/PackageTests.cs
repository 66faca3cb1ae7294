using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;
using Piramid.Client.Tests.Support;
using Piramid.TestKit;

namespace Piramid.Client.Tests;

/// <summary>Both clients pack into what their registries take: a .nupkg and an npm tarball, with their READMEs.</summary>
public sealed class PackageTests
{
    [Fact]
    public async Task DotNetClient_PacksAsPiramidClient_WithReadmeAndXmlDocs()
    {
        using var output = new TempDirectory();
        var project = Path.Combine(RepositoryPaths.Root, "src", "Shared", "Piramid.Client", "Piramid.Client.csproj");
        // --no-build: the Release build this test project depends on is what gets packed.
        var result = await ChildProcess.RunAsync("dotnet", ["pack", project, "-c", "Release", "--no-build", "-o", output.Path], RepositoryPaths.Root, null, TimeSpan.FromMinutes(3));
        Assert.True(result.ExitCode == 0, result.Output);

        var package = Assert.Single(Directory.GetFiles(output.Path, "*.nupkg"));
        using var zip = ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("README.md", entries);
        Assert.Contains("lib/net10.0/Piramid.Client.dll", entries);
        Assert.Contains("lib/net10.0/Piramid.Client.xml", entries);
        await using var nuspecStream = zip.GetEntry("Piramid.Client.nuspec")!.Open();
        var nuspec = await XDocument.LoadAsync(nuspecStream, LoadOptions.None, CancellationToken.None);
        var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        Assert.Equal("Piramid.Client", metadata.Elements().Single(e => e.Name.LocalName == "id").Value);
        Assert.Equal("README.md", metadata.Elements().Single(e => e.Name.LocalName == "readme").Value);
        Assert.DoesNotContain(metadata.Descendants(), e => e.Name.LocalName == "dependency"); // one package, nothing else to install
    }

    [Fact]
    public async Task TypeScriptClient_PacksAsPiramidClient_WithItsCompiledSourcesAndReadme()
    {
        await TypeScriptPackage.BuildAsync();
        var result = await ChildProcess.RunAsync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts", "--loglevel=error"], TypeScriptPackage.Directory, null, TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.Output);

        using var json = JsonDocument.Parse(result.Output[result.Output.IndexOf('[', StringComparison.Ordinal)..]);
        var tarball = json.RootElement[0];
        Assert.Equal("@piramid/client", tarball.GetProperty("name").GetString());
        var files = tarball.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()).ToHashSet();
        Assert.Contains("README.md", files);
        Assert.Contains("dist/src/index.js", files);
        Assert.Contains("dist/src/index.d.ts", files);
        Assert.Contains("dist/src/generated/openapi.d.ts", files);
        Assert.DoesNotContain(files, f => f!.StartsWith("dist/test/", StringComparison.Ordinal) || f.StartsWith("node_modules/", StringComparison.Ordinal));
    }
}
