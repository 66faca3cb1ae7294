using System.Globalization;
using System.Text;
using Piramid.ControlPlane.Auditing.Sinks;

namespace Piramid.ControlPlane.Tests.AuditSinks;

/// <summary>
/// Property test of the RFC 5424 formatter and RFC 6587 octet-counting framing: random structured-data values and
/// messages (with <c>]</c>, <c>"</c>, <c>\</c>, <c>=</c>, spaces, newlines, non-ASCII and surrogate pairs) are framed
/// back to back into one stream, and an independent parser written from the RFCs recovers every field exactly.
/// </summary>
public sealed class SyslogFormatterPropertyTests
{
    private const string Alphabet = "ab]\"\\[= \n\tzé漢ß0-_.:";
    private static readonly string[] Wide = ["😀", "𝄞", "ü", "Ω"];

    [Fact]
    public void Frames_OfRandomEntries_ParseBackToTheSameFields()
    {
        var random = new Random(5424);
        for (var round = 0; round < 300; round++)
        {
            var entries = Enumerable.Range(0, random.Next(1, 6)).Select(_ => new Sample(
                new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(random.NextInt64(TimeSpan.TicksPerDay * 3650)),
                Text(random, 12), random.NextInt64(long.MaxValue), Text(random, 8), Text(random, 16), Text(random, 200))).ToList();
            var stream = entries.SelectMany(e => SyslogFormatter.Frame(e.Time, e.Host, e.Seq, e.Source, e.Tenant, e.Message)).ToArray();

            var parsed = Rfc6587.SplitFrames(stream).Select(Rfc5424.Parse).ToList();

            Assert.Equal(entries.Count, parsed.Count);
            for (var i = 0; i < entries.Count; i++)
            {
                var (e, p) = (entries[i], parsed[i]);
                Assert.Equal(SyslogFormatter.Priority, p.Priority);
                // TIME-SECFRAC keeps six digits: the time comes back to the microsecond.
                Assert.Equal(e.Time.UtcTicks / 10, p.Time.UtcTicks / 10);
                Assert.Matches("^[!-~]{1,255}$", p.Host);
                Assert.Equal(SyslogFormatter.SdId, p.SdId);
                Assert.Equal(e.Seq.ToString(CultureInfo.InvariantCulture), p.Params["seq"]);
                Assert.Equal(e.Source, p.Params["source"]);
                Assert.Equal(e.Tenant, p.Params["tenant"]);
                Assert.Equal(e.Message, p.Message);
                Assert.Equal(e.Message.Any(c => c > 0x7F), p.HadBom);
            }
        }
    }

    [Fact]
    public void EscapeParam_EscapesExactlyTheThreeCharacters()
    {
        Assert.Equal("a\\]b\\\"c\\\\d[e=f", SyslogFormatter.EscapeParam("a]b\"c\\d[e=f"));
    }

    [Fact]
    public void TheLengthPrefix_CountsBytes_NotCharacters()
    {
        var frame = SyslogFormatter.Frame(DateTimeOffset.UnixEpoch, "h", 1, "data", "t", "漢😀");
        var space = Array.IndexOf(frame, (byte)' ');
        var length = int.Parse(Encoding.ASCII.GetString(frame, 0, space), CultureInfo.InvariantCulture);
        Assert.Equal(frame.Length - space - 1, length);
        Assert.True(length > Encoding.UTF8.GetByteCount("漢😀") + 3); // the BOM and the message's 7 bytes, not 3 chars
    }

    private static string Text(Random random, int max)
    {
        var builder = new StringBuilder();
        var length = random.Next(0, max + 1);
        while (builder.Length < length)
        {
            builder.Append(random.Next(8) == 0 ? Wide[random.Next(Wide.Length)] : Alphabet[random.Next(Alphabet.Length)].ToString());
        }

        return builder.ToString();
    }

    private sealed record Sample(DateTimeOffset Time, string Host, long Seq, string Source, string Tenant, string Message);

    // RFC 6587 section 3.4.1: MSG-LEN SP SYSLOG-MSG, MSG-LEN the octet count in decimal without leading zero.
    private static class Rfc6587
    {
        public static IEnumerable<byte[]> SplitFrames(byte[] stream)
        {
            var at = 0;
            while (at < stream.Length)
            {
                var space = Array.IndexOf(stream, (byte)' ', at);
                var digits = Encoding.ASCII.GetString(stream, at, space - at);
                Assert.Matches("^[1-9][0-9]*$", digits);
                var length = int.Parse(digits, CultureInfo.InvariantCulture);
                Assert.True(space + 1 + length <= stream.Length, "a frame's length runs past the stream");
                yield return stream[(space + 1)..(space + 1 + length)];
                at = space + 1 + length;
            }
        }
    }

    private sealed record Parsed(int Priority, DateTimeOffset Time, string Host, string SdId, Dictionary<string, string> Params, string Message, bool HadBom);

    // RFC 5424 section 6: HEADER SP STRUCTURED-DATA [SP MSG], one SD-ELEMENT here.
    private static class Rfc5424
    {
        public static Parsed Parse(byte[] message)
        {
            var at = 0;
            string Field()
            {
                var space = Array.IndexOf(message, (byte)' ', at);
                var value = Encoding.ASCII.GetString(message, at, space - at);
                Assert.Matches("^[!-~]+$", value);
                at = space + 1;
                return value;
            }

            var priVersion = Field();
            Assert.Matches("^<[0-9]{1,3}>1$", priVersion);
            var time = DateTimeOffset.ParseExact(Field(), "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            var host = Field();
            Assert.Equal("piramid", Field());
            Assert.Equal("-", Field());
            Assert.Equal("audit", Field());

            // STRUCTURED-DATA: decode as UTF-8 up to the end of the element, honouring the escapes.
            Assert.Equal((byte)'[', message[at++]);
            var idEnd = Array.IndexOf(message, (byte)' ', at);
            var sdId = Encoding.ASCII.GetString(message, at, idEnd - at);
            at = idEnd;
            var parameters = new Dictionary<string, string>();
            while (message[at] == (byte)' ')
            {
                at++;
                var eq = Array.IndexOf(message, (byte)'=', at);
                var name = Encoding.ASCII.GetString(message, at, eq - at);
                Assert.Matches("^[!-~]{1,32}$", name);
                Assert.Equal((byte)'"', message[eq + 1]);
                at = eq + 2;
                var value = new List<byte>();
                while (message[at] != (byte)'"')
                {
                    if (message[at] == (byte)'\\' && message[at + 1] is (byte)'"' or (byte)'\\' or (byte)']')
                    {
                        at++;
                    }
                    else
                    {
                        Assert.NotEqual((byte)']', message[at]); // an unescaped ']' would end the element early
                    }

                    value.Add(message[at++]);
                }

                parameters[name] = Encoding.UTF8.GetString([.. value]);
                at++;
            }

            Assert.Equal((byte)']', message[at++]);
            Assert.Equal((byte)' ', message[at++]);
            var bom = message.Length - at >= 3 && message[at] == 0xEF && message[at + 1] == 0xBB && message[at + 2] == 0xBF;
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(message, bom ? at + 3 : at, message.Length - at - (bom ? 3 : 0));
            return new Parsed(int.Parse(priVersion[1..priVersion.IndexOf('>', StringComparison.Ordinal)], CultureInfo.InvariantCulture), time, host, sdId, parameters, text, bom);
        }
    }
}
