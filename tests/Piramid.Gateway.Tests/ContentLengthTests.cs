using System.Globalization;
using Piramid.Contracts.Problems;
using Piramid.Gateway.Tests.Support;
using Piramid.TestKit.Platform;

namespace Piramid.Gateway.Tests;

/// <summary>
/// <c>Content-Length</c> is <c>1*DIGIT</c> (RFC 9110 §8.6): every other spelling a parser might still read as a
/// number is refused at the gateway's door with 400 problem+json, so no hop behind it reads the body differently.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ContentLengthTests(PostgresFixture postgres)
{
    private const string Body = "hello";

    [Fact]
    public async Task EveryContentLengthThatIsNotDigits_IsRefusedWith400Problem_AndDigitsPass()
    {
        await using var platform = await PlatformHost.StartAsync(postgres);
        var random = new Random(14);
        var invalid = Invalid(random).ToList();
        Assert.True(invalid.Count >= 40, $"{invalid.Count} cases");
        foreach (var (why, headers) in invalid)
        {
            var answer = await RawHttp.SendAsync(platform.GatewayAddress, Request(platform.GatewayAddress, headers));
            Assert.True(answer.Status == 400, $"{why} [{headers.Replace("\r\n", " | ", StringComparison.Ordinal)}]: {answer}");
            Assert.True(answer.ProblemType is not null, $"{why}: no problem body: {answer}");
        }

        // The same request with a plain length goes on to authentication (401): only the spelling was refused.
        foreach (var valid in new[] { "5", "005", " 5 ", "\t5" })
        {
            var answer = await RawHttp.SendAsync(platform.GatewayAddress, Request(platform.GatewayAddress, $"Content-Length: {valid}\r\n"));
            Assert.True(answer.Status == 401, $"'{valid}': {answer}");
            Assert.Equal(ProblemTypes.Unauthorized, answer.ProblemType);
        }
    }

    private static string Request(Uri server, string headers) =>
        $"POST /v1/collections/docs/search HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: application/json\r\n{headers}Connection: close\r\n\r\n{Body}";

    // Each class of spelling, with lengths drawn at random (5 among them, the body's true length).
    private static IEnumerable<(string Why, string Headers)> Invalid(Random random)
    {
        for (var i = 0; i < 4; i++)
        {
            var n = i == 0 ? "5" : random.Next(0, 100_000).ToString(CultureInfo.InvariantCulture);
            var other = (long.Parse(n, CultureInfo.InvariantCulture) + 1 + random.Next(1000)).ToString(CultureInfo.InvariantCulture);
            yield return ("plus sign", $"Content-Length: +{n}\r\n");
            yield return ("minus sign", $"Content-Length: -{n}\r\n");
            yield return ("minus zero", "Content-Length: -0\r\n");
            yield return ("space inside", $"Content-Length: {n[..1]} {n[1..]}0\r\n");
            yield return ("tab inside", $"Content-Length: {n[..1]}\t{n[1..]}0\r\n");
            yield return ("hex", $"Content-Length: 0x{long.Parse(n, CultureInfo.InvariantCulture):X}\r\n");
            yield return ("hex digits", $"Content-Length: {random.Next(10, 4096):x}a\r\n");
            yield return ("decimal point", $"Content-Length: {n}.0\r\n");
            yield return ("exponent", $"Content-Length: {n}e0\r\n");
            yield return ("list of two values", $"Content-Length: {n}, {other}\r\n");
            yield return ("two headers", $"Content-Length: {n}\r\nContent-Length: {other}\r\n");
            yield return ("huge", $"Content-Length: {new string('9', 19 + random.Next(30))}\r\n");
            yield return ("past long", "Content-Length: 9223372036854775808\r\n");
            yield return ("non-ASCII digit", $"Content-Length: {n}\u0665\r\n");
            yield return ("letters", $"Content-Length: {n}abc\r\n");
            yield return ("empty", "Content-Length: \r\n");
        }
    }
}
