using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Piramid.Contracts.Problems;
using Piramid.ServiceDefaults;

namespace Piramid.ControlPlane.Usage;

/// <summary>
/// The audit trail's page cursor: opaque to clients, like scroll's (the request's <c>cursor</c> is the previous
/// answer's <c>next_cursor</c>, the same string). Inside it are the positions in both merged sources (the last
/// control log position and the last engine sequence returned), versioned so the encoding can change; anything that
/// does not decode to one is a 400, never a page from somewhere else.
/// </summary>
public static class AuditCursor
{
    private const string Version = "a3:"; // a2 held row ids; a3 control log positions (AuditEvent.LogSeq)

    /// <summary>The cursor that continues after control event <paramref name="control"/> and engine entry <paramref name="data"/>.</summary>
    public static string Encode(long control, long data) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Version}{control}:{data}")));

    /// <summary>The positions a cursor continues after ((0, 0) without one); a 400 naming <c>cursor</c> when forged.</summary>
    public static (long Control, long Data) Decode(string? cursor)
    {
        if (cursor is null)
        {
            return (0, 0);
        }

        if (cursor.Length is > 0 and <= 96 && Base64Url.IsValid(cursor))
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            var parts = text.StartsWith(Version, StringComparison.Ordinal) ? text[Version.Length..].Split(':') : [];
            if (parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var control)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var data)
                && (control > 0 || data > 0)
                && Encode(control, data) == cursor)
            {
                return (control, data);
            }
        }

        throw new ProblemException(ProblemCatalog.InvalidRequest, "'cursor' is not a cursor this API returned; pass 'next_cursor' from the previous page unchanged.");
    }
}
