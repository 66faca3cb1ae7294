using Piramid.DataPlane.Api;
using Piramid.DataPlane.Auditing;
using Piramid.DataPlane.Backups;
using Piramid.DataPlane.Exports;
using Piramid.DataPlane.Hosting;
using Piramid.DataPlane.Security;
using Piramid.ServiceDefaults;

// Socket completions run on the epoll threads instead of being queued to the thread pool, and Kestrel runs each
// request there (Hosting/EngineHosting.cs): a search is answered without waking a pool thread, whose wake-up cost
// as much as the search (Hosting/SocketThreads.cs says which requests leave for the pool). The runtime reads the
// switch when the first socket opens, so it is set before anything else; an operator's own setting wins.
const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
{
    Environment.SetEnvironmentVariable(InlineCompletions, "1");
}

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
app.UseSocketThreadRules();
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
