using Piramid.DataPlane.Api;
using Piramid.DataPlane.Auditing;
using Piramid.DataPlane.Backups;
using Piramid.DataPlane.Exports;
using Piramid.DataPlane.Hosting;
using Piramid.DataPlane.Security;
using Piramid.ServiceDefaults;

// The engine reads no settings file: the control plane configures it through its environment. Left at
// their defaults, the content root is the working directory and its appsettings files are watched for
// changes, which puts a recursive inotify watch on that whole tree: every engine then woke up on every
// write of every other engine (and of PostgreSQL) below it.
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
{
    Args = [.. args, "--hostBuilder:reloadConfigOnChange=false"],
    ContentRootPath = AppContext.BaseDirectory,
});

// A search is a few hundred microseconds; six framework log lines per request cost more than that.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.AddServiceDefaults("piramid-engine", EngineTelemetry.Name);
builder.Services.LimitFrameworkSeries();
builder.AddEngine();
builder.AddInternalAuth();
builder.Services.AddEngineApi();

var app = builder.Build();
// First: Prometheus presents no signature, and the engine's only port is internal (docs/design/observability.md).
app.UseMetricsEndpoint(onEveryPort: true);
app.UseProblemDefaults();
app.MapDefaultEndpoints();
app.MapAdoptionChallenge();
app.UseInternalAuth();
app.UseAudit();
app.MapCollectionsApi();
app.MapPointsApi();
app.MapExportApi();
app.MapBackupsApi();
app.MapAuditApi();
try
{
    await app.RunAsync();
}
catch (Exception e) when (EngineHosting.DescribeStartFailure(e) is { } reason)
{
    await Console.Error.WriteLineAsync($"piramid-engine: cannot start: {reason}");
    return 2;
}

return 0;
