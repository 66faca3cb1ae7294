using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Piramid.Gateway.Edge;

/// <summary>
/// <c>Content-Length</c> is <c>1*DIGIT</c> (RFC 9110 §8.6). Kestrel's own parser (<c>Utf8Parser</c>) also takes
/// <c>+5</c> and <c>-0</c>, and keeps only the number, so no middleware can see the spelling. A request-header
/// encoding for that one header makes Kestrel parse the decoded text instead; this encoding turns every byte that
/// is not a digit into a character no integer parser takes, so Kestrel itself refuses the request with 400
/// (problem+json through <c>KestrelProblemBodies</c>) before the gateway reads anything of it. Other headers keep
/// Kestrel's default decoding.
/// </summary>
public static class ContentLengthSpelling
{
    /// <summary>Makes Kestrel refuse every <c>Content-Length</c> that is not ASCII digits.</summary>
    public static void Apply(KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        var others = kestrel.RequestHeaderEncodingSelector;
        kestrel.RequestHeaderEncodingSelector = name =>
            string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase) ? DigitsOnlyEncoding.Instance : others(name);
    }

    /// <summary>
    /// One byte, one character: ASCII digits and other printable ASCII as themselves (Kestrel quotes the value in
    /// its log), and what <c>long.TryParse</c> with <c>NumberStyles.Integer</c> would still accept around digits
    /// (sign, space, tab) as look-alikes it does not. Never throws: Kestrel decodes into a 20-character buffer, so a
    /// longer value is cut, which Kestrel refuses as longer than any <c>long</c>.
    /// </summary>
    internal sealed class DigitsOnlyEncoding : Encoding
    {
        public static readonly DigitsOnlyEncoding Instance = new();

        public override int GetByteCount(char[] chars, int index, int count) => count;

        public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex) =>
            throw new NotSupportedException("Only decodes request headers.");

        public override int GetCharCount(byte[] bytes, int index, int count) => count;

        public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex) =>
            Decode(bytes.AsSpan(byteIndex, byteCount), chars.AsSpan(charIndex));

        public override int GetCharCount(ReadOnlySpan<byte> bytes) => bytes.Length;

        public override int GetChars(ReadOnlySpan<byte> bytes, Span<char> chars) => Decode(bytes, chars);

        public override int GetMaxByteCount(int charCount) => charCount;

        public override int GetMaxCharCount(int byteCount) => byteCount;

        private static int Decode(ReadOnlySpan<byte> bytes, Span<char> chars)
        {
            var count = Math.Min(bytes.Length, chars.Length);
            for (var i = 0; i < count; i++)
            {
                chars[i] = bytes[i] switch
                {
                    (byte)'+' => '\uFF0B', // fullwidth plus sign
                    (byte)'-' => '\uFF0D', // fullwidth hyphen-minus
                    (byte)' ' => '\u2420', // symbol for space
                    (byte)'\t' => '\u2409', // symbol for horizontal tabulation
                    var b and > 0x20 and < 0x7F => (char)b,
                    _ => '\uFFFD',
                };
            }

            return count;
        }
    }
}
