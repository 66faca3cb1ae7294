using System.Text.Encodings.Web;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Piramid.ServiceDefaults;

/// <summary>
/// Console logs as one JSON object per line, with the scopes that carry the request's <c>TraceId</c> and <c>SpanId</c>,
/// so a log line joins its trace. <c>Logging:Console:FormatterName=simple</c> brings back plain text.
/// </summary>
public static class StructuredLogs
{
    internal static void Add(IHostApplicationBuilder builder)
    {
        if (builder.Configuration["Logging:Console:FormatterName"] is { Length: > 0 })
        {
            return; // The operator chose a format.
        }

        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            // Messages quote names in single quotes: kept readable (the default encoder escapes them).
            o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        });
    }
}
