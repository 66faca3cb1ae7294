using Piramid.DataPlane.Api;
using Piramid.DataPlane.Hosting;
using Piramid.DataPlane.Security;
using Piramid.ServiceDefaults;

var builder = WebApplication.CreateSlimBuilder(args);
builder.AddServiceDefaults("piramid-engine", EngineTelemetry.Name);
if (!builder.AddEngine())
{
    return 2;
}

builder.AddInternalAuth();
builder.Services.AddEngineApi();

var app = builder.Build();
app.UseEngineShutdown();
app.UseProblemDefaults();
app.MapDefaultEndpoints();
app.UseInternalAuth();
app.UseAudit();
app.MapCollectionsApi();
app.MapPointsApi();
app.Run();
return 0;
