using System.Globalization;
using System.Text;

namespace Piramid.ControlPlane.Auditing.Sinks;

/// <summary>
/// RFC 5424 syslog messages in RFC 6587 octet-counting framing (<c>MSG-LEN SP SYSLOG-MSG</c>), one per audit entry:
/// <c>&lt;110&gt;1 TIMESTAMP HOSTNAME piramid - audit [piramid@32473 seq="…" source="…" tenant="…"] MSG</c>.
/// Facility 13 (log audit), severity 6 (informational). SD-ID <c>piramid@32473</c> uses the documentation enterprise
/// number of RFC 5612. MSG is the entry as one JSON line of the NDJSON export; it starts with a UTF-8 BOM when it holds
/// non-ASCII text, as RFC 5424 section 6.4 asks.
/// </summary>
public static class SyslogFormatter
{
    /// <summary>PRI of every message: facility 13 (log audit) × 8 + severity 6 (informational).</summary>
    public const int Priority = (13 * 8) + 6;

    /// <summary>The structured data element's id.</summary>
    public const string SdId = "piramid@32473";

    /// <summary>APP-NAME.</summary>
    public const string AppName = "piramid";

    /// <summary>MSGID.</summary>
    public const string MsgId = "audit";

    /// <summary>
    /// Largest SYSLOG-MSG sent: rsyslog's default <c>maxMessageSize</c> (8 KB). A longer entry is cut at a UTF-8
    /// boundary and ends with <see cref="TruncatedMarker"/>; the whole entry stays in the trail and its export.
    /// </summary>
    public const int MaxMessageBytes = 8192;

    /// <summary>Ends a message cut to <see cref="MaxMessageBytes"/>.</summary>
    public const string TruncatedMarker = " [truncated: the whole entry is in the export]";

    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>One framed message: the decimal octet count of the message, a space, the message.</summary>
    public static byte[] Frame(DateTimeOffset time, string hostname, long seq, string source, string tenantId, string message)
    {
        var body = Format(time, hostname, seq, source, tenantId, message);
        var prefix = Encoding.ASCII.GetBytes(body.Length.ToString(CultureInfo.InvariantCulture) + " ");
        return [.. prefix, .. body];
    }

    /// <summary>The SYSLOG-MSG bytes (without framing).</summary>
    public static byte[] Format(DateTimeOffset time, string hostname, long seq, string source, string tenantId, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var header = new StringBuilder()
            .Append('<').Append(Priority.ToString(CultureInfo.InvariantCulture)).Append(">1 ")
            // At most six fractional digits (TIME-SECFRAC), always UTC.
            .Append(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)).Append(' ')
            .Append(HeaderField(hostname, 255)).Append(' ')
            .Append(AppName).Append(" - ").Append(MsgId).Append(" [").Append(SdId)
            .Append(" seq=\"").Append(seq.ToString(CultureInfo.InvariantCulture)).Append('"')
            .Append(" source=\"").Append(EscapeParam(source)).Append('"')
            .Append(" tenant=\"").Append(EscapeParam(tenantId)).Append("\"] ")
            .ToString();
        var head = Encoding.UTF8.GetBytes(header);
        var msg = Encoding.UTF8.GetBytes(message);
        byte[] bom = Ascii(message) ? [] : Bom;
        if (head.Length + bom.Length + msg.Length > MaxMessageBytes)
        {
            // Cut before a UTF-8 continuation byte never lands inside a character.
            var room = Math.Max(0, MaxMessageBytes - head.Length - bom.Length - TruncatedMarker.Length);
            while (room > 0 && (msg[room] & 0xC0) == 0x80)
            {
                room--;
            }

            msg = [.. msg.AsSpan(0, room), .. Encoding.ASCII.GetBytes(TruncatedMarker)];
        }

        return [.. head, .. bom, .. msg];
    }

    /// <summary>A PARAM-VALUE with <c>"</c>, <c>\</c> and <c>]</c> escaped by a backslash (RFC 5424 section 6.3.3).</summary>
    public static string EscapeParam(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var result = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '"' or '\\' or ']')
            {
                result.Append('\\');
            }

            result.Append(c);
        }

        return result.ToString();
    }

    // A header field is PRINTUSASCII (33-126) of bounded length, or NILVALUE '-'.
    private static string HeaderField(string value, int max)
    {
        var printable = new string([.. value.Where(c => c is >= '!' and <= '~').Take(max)]);
        return printable.Length == 0 ? "-" : printable;
    }

    private static bool Ascii(string value)
    {
        foreach (var c in value)
        {
            if (c > 0x7F)
            {
                return false;
            }
        }

        return true;
    }
}
