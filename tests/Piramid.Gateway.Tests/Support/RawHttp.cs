using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Piramid.Gateway.Tests.Support;

/// <summary>Requests written byte by byte on a socket, for what HttpClient refuses to send.</summary>
public static class RawHttp
{
    /// <summary>One parsed answer.</summary>
    /// <param name="Status">Status code.</param>
    /// <param name="Headers">Header lines, names lower-cased.</param>
    /// <param name="Body">The body as text.</param>
    public sealed record Answer(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        /// <summary>The problem's <c>type</c>, or null when the body is not a problem.</summary>
        public string? ProblemType =>
            Headers.GetValueOrDefault("content-type")?.StartsWith("application/problem+json", StringComparison.Ordinal) == true
                ? JsonNode.Parse(Body)?["type"]?.GetValue<string>()
                : null;

        /// <inheritdoc />
        public override string ToString() => $"{Status} [{string.Join("; ", Headers.Select(h => h.Key + ": " + h.Value))}] {Body}";
    }

    /// <summary>Sends <paramref name="request"/> as is (add <c>Connection: close</c>) and reads the answer until the server closes.</summary>
    public static async Task<Answer> SendAsync(Uri server, string request)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request));
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while (!IsComplete(buffer) && (read = await stream.ReadAsync(chunk).AsTask().WaitAsync(TimeSpan.FromSeconds(30))) > 0)
            {
                buffer.Write(chunk, 0, read);
            }
        }
        catch (IOException)
        {
            // A reset after the answer was sent still leaves the answer in the buffer.
        }

        return Parse(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    // Whole once the declared length or the last chunk arrived (else the server's close ends it).
    private static bool IsComplete(MemoryStream buffer)
    {
        var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var head = text[..end].ToLowerInvariant();
        var body = Encoding.UTF8.GetByteCount(text[(end + 4)..]);
        var length = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("content-length:", StringComparison.Ordinal));
        if (length is not null && long.TryParse(length["content-length:".Length..].Trim(), out var declared))
        {
            return body >= declared;
        }

        return head.Contains("transfer-encoding: chunked", StringComparison.Ordinal) && text.EndsWith("0\r\n\r\n", StringComparison.Ordinal);
    }

    private static Answer Parse(string text)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, $"no complete answer: '{text}'");
        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        var body = text[(end + 4)..];
        if (headers.GetValueOrDefault("transfer-encoding") == "chunked")
        {
            body = Dechunk(body);
        }

        return new Answer(status, headers, body);
    }

    private static string Dechunk(string chunked)
    {
        var body = new StringBuilder();
        var at = 0;
        while (true)
        {
            var lineEnd = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = Convert.ToInt32(chunked[at..lineEnd], 16);
            if (size == 0)
            {
                return body.ToString();
            }

            body.Append(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
