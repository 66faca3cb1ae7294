using Piramid.Gateway;
using Piramid.ServiceDefaults;

// Socket completions run on the epoll threads instead of being queued to the thread pool. A proxy does
// little work per socket event, and the hop to a pool thread (a wake-up and a context switch each way) cost
// more than the work: 35% more gateway throughput on two cores (gateway benchmark, docs/design/gateway.md).
// The runtime reads the switch when the first socket opens, so it is set before anything else; an
// operator's own setting wins.
const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
{
    Environment.SetEnvironmentVariable(InlineCompletions, "1");
}

// Settings (appsettings.json) live next to the binary, whatever directory it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddServiceDefaults("piramid-gateway");
builder.AddGateway();
var app = builder.Build();
app.UseGateway();
app.Run();
