using System.Security.Cryptography;
using System.Text;
using Piramid.DataPlane.Tests.Support;
using Piramid.TestKit.Processes;

namespace Piramid.DataPlane.Tests;

/// <summary>Nothing a tenant writes is readable from the disk, and a wrong data key or a bad key file stops the engine.</summary>
public sealed class EncryptionTests
{
    private const string Marker = "PIRAMID-MARKER-7f3c9e";

    [Fact]
    public async Task Marker_InMetadata_AppearsInNoFileInAnyEncoding()
    {
        await using var host = new EngineTestHost();
        var engine = await host.StartAsync();
        using (var http = engine.CreateClient())
        {
            await http.CreateCollectionAsync("secret-docs", 4);
            // Written twice: the first lands in a checkpoint (clean stop), the second only in the log (kill).
            await http.OkAsync(HttpMethod.Post, "/v1/collections/secret-docs/points", Points("a"));
        }

        Assert.Equal(0, await engine.StopAsync());
        engine = await host.StartAsync();
        using (var http = engine.CreateClient())
        {
            await http.OkAsync(HttpMethod.Post, "/v1/collections/secret-docs/points", Points("b"));
            await http.OkAsync(HttpMethod.Patch, "/v1/collections/secret-docs/points/a-0", new { metadata = new { extra = Marker } });
        }

        engine.Kill();
        var files = Directory.GetFiles(host.DataDirectory, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.Contains("checkpoint", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(".seg", StringComparison.Ordinal));
        var needles = Needles(Marker).Concat(Needles("secret-docs")).ToList();
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            foreach (var (encoding, needle) in needles)
            {
                Assert.True(bytes.AsSpan().IndexOf(needle) < 0, $"{file} holds the marker as {encoding}");
            }
        }

        // And the data is really there, readable through the engine.
        engine = await host.StartAsync();
        using var check = engine.CreateClient();
        var point = await check.OkAsync(HttpMethod.Get, "/v1/collections/secret-docs/points/a-0");
        Assert.Equal(Marker, point["metadata"]!["extra"]!.GetValue<string>());
    }

    [Fact]
    public async Task Start_WithWrongDataKey_RefusesWithClearMessage()
    {
        await using var host = new EngineTestHost();
        var engine = await host.StartAsync();
        using (var http = engine.CreateClient())
        {
            await http.CreateCollectionAsync("docs", 4);
        }

        Assert.Equal(0, await engine.StopAsync());
        var wrong = host.Launch(host.Options(dataKey: Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
        var exitCode = await wrong.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, exitCode);
        Assert.Contains("wrong data key", wrong.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("not a key file")]
    [InlineData("piramid-engine-keys v1\ntenant t-test\ndata-key not-base64!\nengine-secret AAAA\n")]
    [InlineData("piramid-engine-keys v1\ntenant t-test\ndata-key AAAA\nengine-secret AAAA\n")]
    public async Task Start_WithMalformedKeyFile_RefusesNamingTheOption(string content)
    {
        await using var host = new EngineTestHost();
        var engine = host.Launch(host.Options(keyFileText: content));
        Assert.NotEqual(0, await engine.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Engine:KeyFile", engine.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", engine.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithKeysOfAnotherTenant_Refuses()
    {
        await using var host = new EngineTestHost();
        var keys = host.Options(tenantId: "t-other");
        EngineProcess.WriteKeyFile(keys);
        var engine = host.Launch(host.Options(keyFileText: await File.ReadAllTextAsync(host.DataDirectory + ".keys")));
        Assert.NotEqual(0, await engine.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("holds the keys of tenant 't-other'", engine.Output, StringComparison.Ordinal);
    }

    private static object Points(string prefix) => new
    {
        points = Enumerable.Range(0, 50).Select(i => new
        {
            id = $"{prefix}-{i}",
            vector = new[] { i, 1f, 2f, 3f },
            metadata = new { note = $"{Marker} #{i}", nested = new { again = Marker } },
        }).ToArray(),
    };

    private static IEnumerable<(string Encoding, byte[] Needle)> Needles(string text)
    {
        yield return ("UTF-8", Encoding.UTF8.GetBytes(text));
        yield return ("UTF-16LE", Encoding.Unicode.GetBytes(text));
        yield return ("UTF-16BE", Encoding.BigEndianUnicode.GetBytes(text));
        // Base64 of the marker at each of the three alignments it can take inside a longer string.
        for (var pad = 0; pad < 3; pad++)
        {
            var b64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(new string('x', pad) + text));
            yield return ($"base64+{pad}", Encoding.ASCII.GetBytes(b64.Substring(4, 12)));
        }
    }
}
