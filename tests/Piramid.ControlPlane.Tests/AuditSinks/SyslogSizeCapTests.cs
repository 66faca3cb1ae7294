using System.Text;
using Piramid.ControlPlane.Auditing.Sinks;

namespace Piramid.ControlPlane.Tests.AuditSinks;

/// <summary>
/// Messages never exceed rsyslog's default 8 KB: random entries of every size around the limit (ASCII and multi-byte
/// text) stay whole when they fit, and otherwise are cut at a character boundary and end with the marker.
/// </summary>
public sealed class SyslogSizeCapTests
{
    [Fact]
    public void EveryMessage_FitsTheLimit_WholeOrCutAtACharacterWithTheMarker()
    {
        var random = new Random(8192);
        string[] pieces = ["a", "\"", "é", "漢", "😀", "{", "}"];
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        for (var i = 0; i < 400; i++)
        {
            var target = random.Next(7_000, 30_000);
            var text = new StringBuilder();
            while (Encoding.UTF8.GetByteCount(text.ToString()) < target)
            {
                text.Append(pieces[random.Next(pieces.Length)]);
            }

            var message = text.ToString();
            var bytes = SyslogFormatter.Format(DateTimeOffset.UnixEpoch, "host", i, "control", "t_x", message);
            Assert.True(bytes.Length <= SyslogFormatter.MaxMessageBytes, $"{bytes.Length} bytes");
            var decoded = strict.GetString(bytes); // throws on a cut inside a character
            var body = decoded[(decoded.IndexOf("\"] ", StringComparison.Ordinal) + 3)..].TrimStart('\uFEFF');
            if (body == message)
            {
                continue;
            }

            Assert.EndsWith(SyslogFormatter.TruncatedMarker, body, StringComparison.Ordinal);
            Assert.StartsWith(body[..^SyslogFormatter.TruncatedMarker.Length], message, StringComparison.Ordinal);
        }

        var small = SyslogFormatter.Format(DateTimeOffset.UnixEpoch, "host", 1, "control", "t_x", "{\"a\":1}");
        Assert.EndsWith("{\"a\":1}", Encoding.UTF8.GetString(small), StringComparison.Ordinal);
    }
}
