using System.Text.Json;

namespace Piramid.Audit.Cli;

/// <summary>What an export holds: engine entries, anchors and control-plane events in line order, and how many control-plane events.</summary>
/// <param name="Entries">The engine entries.</param>
/// <param name="Anchors">The anchors.</param>
/// <param name="ControlEvents">How many control-plane events.</param>
/// <param name="TenantId">The tenant the events name.</param>
/// <param name="Control">The control-plane events (null: none read).</param>
public sealed record ExportContent(List<ExportEntry> Entries, List<ExportAnchor> Anchors, int ControlEvents, string? TenantId, List<ControlEntry>? Control = null);

/// <summary>Reads an NDJSON audit export (the answer of <c>GET /v1/tenants/{id}/audit</c> with <c>Accept: application/x-ndjson</c>).</summary>
public static class ExportReader
{
    /// <summary>Parses every line; a line that is neither an event nor an anchor is a <see cref="FormatException"/> naming it.</summary>
    public static ExportContent Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var entries = new List<ExportEntry>();
        var anchors = new List<ExportAnchor>();
        var controlEntries = new List<ControlEntry>();
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
                        anchor.GetProperty("signed_at").GetDateTimeOffset(), Text(anchor, "signature")!, Number(anchor, "control_seq"), Optional(anchor, "control_hash")));
                    continue;
                }

                tenant ??= Text(root, "tenant_id");
                switch (Text(root, "source"))
                {
                    case "control":
                        control++;
                        controlEntries.Add(new ControlEntry(number, root.GetProperty("seq").GetInt64(), root.GetProperty("time").GetDateTimeOffset(),
                            Text(root, "actor")!, Text(root, "action")!, Text(root, "target_type")!, Optional(root, "target_id") ?? string.Empty, Text(root, "tenant_id"),
                            Text(root, "request_id"), Json(root, "before"), Json(root, "after"), Optional(root, "prev_hash"), Optional(root, "hash")));
                        break;
                    case "data":
                        var target = Text(root, "target_id");
                        entries.Add(new ExportEntry(number, root.GetProperty("seq").GetInt64(), root.GetProperty("time").GetDateTimeOffset(),
                            Text(root, "actor")!, Text(root, "action")!, string.IsNullOrEmpty(target) ? null : target, Text(root, "outcome")!,
                            Text(root, "request_id"), Text(root, "prev_hash")!, Text(root, "hash")!,
                            Number(root, "lsn"), Number(root, "points"), (int?)Number(root, "format") ?? 1));
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

        return new ExportContent(entries, anchors, control, tenant, controlEntries);
    }

    private static string? Optional(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetString() : null;

    private static JsonElement? Json(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.Clone() : null;

    // An optional number (lsn, points, format): absent or null is none.
    private static long? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetInt64() : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.GetString() ?? throw new FormatException($"'{name}' is missing")
            : name is "request_id" or "target_id" or "tenant_id" ? null : throw new FormatException($"'{name}' is missing");
}
