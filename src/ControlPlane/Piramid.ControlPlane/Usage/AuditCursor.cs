using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Piramid.Contracts.Problems;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Usage;

/// <summary>
/// The audit trail's page cursor: opaque to clients, like scroll's (the request's <c>cursor</c> is the previous
/// answer's <c>next_cursor</c>, the same string). Inside it is the last event's id, versioned so the encoding can
/// change; anything that does not decode to one is a 400, never a page from somewhere else.
/// </summary>
public static class AuditCursor
{
    private const string Version = "a1:";

    /// <summary>The cursor that continues after event <paramref name="lastId"/>.</summary>
    public static string Encode(long lastId) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(Version + lastId.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The event id a cursor continues after, or null without one; a 400 naming <c>cursor</c> when forged.</summary>
    public static long? Decode(string? cursor)
    {
        if (cursor is null)
        {
            return null;
        }

        if (cursor.Length is > 0 and <= 64 && Base64Url.IsValid(cursor))
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            if (text.StartsWith(Version, StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(Version.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                && id > 0
                && Encode(id) == cursor)
            {
                return id;
            }
        }

        throw new ProblemException(ProblemCatalog.InvalidRequest, "'cursor' is not a cursor this API returned; pass 'next_cursor' from the previous page unchanged.");
    }
}
