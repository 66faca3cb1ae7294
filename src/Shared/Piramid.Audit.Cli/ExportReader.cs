using System.Text.Json;

namespace Piramid.Audit.Cli;

/// <summary>What an export holds: engine entries and anchors in line order, and how many control-plane events.</summary>
public sealed record ExportContent(List<ExportEntry> Entries, List<ExportAnchor> Anchors, int ControlEvents, string? TenantId);

/// <summary>Reads an NDJSON audit export (the answer of <c>GET /v1/tenants/{id}/audit</c> with <c>Accept: application/x-ndjson</c>).</summary>
public static class ExportReader
{
    /// <summary>Parses every line; a line that is neither an event nor an anchor is a <see cref="FormatException"/> naming it.</summary>
    public static ExportContent Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var entries = new List<ExportEntry>();
        var anchors = new List<ExportAnchor>();
        var control = 0;
        string? tenant = null;
        var number = 0;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.TryGetProperty("anchor", out var anchor))
                {
                    anchors.Add(new ExportAnchor(number, Text(anchor, "tenant_id")!, anchor.GetProperty("engine_seq").GetInt64(), Text(anchor, "engine_hash")!,
                        anchor.GetProperty("signed_at").GetDateTimeOffset(), Text(anchor, "signature")!));
                    continue;
                }

                tenant ??= Text(root, "tenant_id");
                switch (Text(root, "source"))
                {
                    case "control":
                        control++;
                        break;
                    case "data":
                        var target = Text(root, "target_id");
                        entries.Add(new ExportEntry(number, root.GetProperty("seq").GetInt64(), root.GetProperty("time").GetDateTimeOffset(),
                            Text(root, "actor")!, Text(root, "action")!, string.IsNullOrEmpty(target) ? null : target, Text(root, "outcome")!,
                            Text(root, "request_id"), Text(root, "prev_hash")!, Text(root, "hash")!));
                        break;
                    default:
                        throw new FormatException("its 'source' is neither 'control' nor 'data'");
                }
            }
            catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException or NullReferenceException)
            {
                throw new FormatException($"line {number} is not an audit event or anchor: {e.Message}", e);
            }
        }

        return new ExportContent(entries, anchors, control, tenant);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.GetString() ?? throw new FormatException($"'{name}' is missing")
            : name is "request_id" or "target_id" or "tenant_id" ? null : throw new FormatException($"'{name}' is missing");
}
