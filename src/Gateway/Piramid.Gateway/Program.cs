using Piramid.Gateway;
using Piramid.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("piramid-gateway");
builder.AddGateway();
var app = builder.Build();
app.UseGateway();
app.Run();
