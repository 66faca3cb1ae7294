namespace Piramid.Engine.Tests;

public sealed class ServerPathsTests
{
    [Theory]
    [InlineData("/var/lib/piramid/t1/collections/ab/wal/000001.seg: bad checksum at offset 12.", "000001.seg: bad checksum at offset 12.")]
    [InlineData("a log record does not decode: /tmp/x/y.ckpt (truncated)", "a log record does not decode: y.ckpt (truncated)")]
    [InlineData("'/data/m.json': unreadable", "'m.json': unreadable")]
    [InlineData("Send the body as application/json; got 'text/plain'.", "Send the body as application/json; got 'text/plain'.")]
    [InlineData("no path here", "no path here")]
    public void Redact_KeepsOnlyTheFileName(string input, string expected)
    {
        Assert.Equal(expected, ServerPaths.Redact(input));
    }
}
