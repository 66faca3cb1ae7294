using System.Text;
using System.Text.Json.Nodes;
using Piramid.Contracts.Problems;
using Piramid.ServiceDefaults;

namespace Piramid.Contracts.Tests.Problems;

/// <summary>The server's own refusals get the catalogue's type and title for their status, like every other problem.</summary>
public sealed class KestrelProblemBodiesTests
{
    [Theory]
    [InlineData(400, "Bad Request")]
    [InlineData(405, "Method Not Allowed")]
    [InlineData(408, "Request Timeout")]
    [InlineData(411, "Length Required")]
    [InlineData(413, "Payload Too Large")]
    [InlineData(414, "URI Too Long")]
    [InlineData(431, "Request Header Fields Too Large")]
    [InlineData(501, "Not Implemented")]
    [InlineData(505, "HTTP Version Not Supported")]
    public void ABodilessRefusal_GetsTheCataloguesTypeAndTitle(int status, string reason)
    {
        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\nConnection: close\r\nDate: Sun, 06 Dec 2026 00:00:00 GMT\r\n\r\n");
        var buffer = new byte[4096];
        head.CopyTo(buffer, 0);

        var length = KestrelProblemBodies.TryRewrite(buffer, head.Length);

        Assert.True(length > head.Length);
        var text = Encoding.UTF8.GetString(buffer, 0, length);
        Assert.Contains("\r\nContent-Type: application/problem+json\r\n", text, StringComparison.Ordinal);
        var body = JsonNode.Parse(text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..])!;
        var kind = ProblemCatalog.ForStatus(status);
        Assert.Equal(status, kind.Status);
        Assert.Equal(kind.Type, (string?)body["type"]);
        Assert.Equal(kind.Title, (string?)body["title"]);
        Assert.Equal(status, (int?)body["status"]);
    }
}
