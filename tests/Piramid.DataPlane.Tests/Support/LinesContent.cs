using System.Net;
using System.Text;

namespace Piramid.DataPlane.Tests.Support;

/// <summary>
/// A chunked request body of NDJSON lines produced while it is sent (never held whole). With a gate, it sends the
/// lines before <c>gateAt</c>, flushes, and waits for the gate before the rest (to kill the engine mid-import).
/// </summary>
public sealed class LinesContent(IEnumerable<string> lines, int gateAt = -1, Task? gate = null) : HttpContent
{
    /// <inheritdoc />
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var index = 0;
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        foreach (var line in lines)
        {
            if (index++ == gateAt && gate is not null)
            {
                await writer.FlushAsync();
                await stream.FlushAsync();
                await gate;
            }

            await writer.WriteAsync(line);
            await writer.WriteAsync('\n');
        }

        await writer.FlushAsync();
    }

    /// <inheritdoc />
    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
