using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Hosting;
using Piramid.ServiceDefaults;

// `Piramid.ControlPlane migrate` applies the migrations and exits; anything else runs the service.
if (args.Length > 0 && args[0] == "migrate")
{
    var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args[1..]).Build();
    var connectionString = configuration.GetConnectionString("ControlPlane")
        ?? throw new InvalidOperationException("Set ConnectionStrings__ControlPlane to migrate.");
    await ControlPlaneDatabase.MigrateAsync(connectionString);
    Console.WriteLine("piramid-control-plane: migrations applied");
    return 0;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("piramid-control-plane");
builder.AddControlPlaneDatabase();

var app = builder.Build();
app.UseProblemDefaults();
app.MapDefaultEndpoints();
app.Run();
return 0;
