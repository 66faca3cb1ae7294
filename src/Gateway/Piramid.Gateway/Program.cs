using Piramid.Gateway;
using Piramid.ServiceDefaults;

// Settings (appsettings.json) live next to the binary, whatever directory it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddServiceDefaults("piramid-gateway");
builder.AddGateway();
var app = builder.Build();
app.UseGateway();
app.Run();
