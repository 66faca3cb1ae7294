using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Hosting;
using Piramid.ControlPlane.Identity;

// `migrate` applies the migrations; `bootstrap` creates the first operator client once and prints its
// credentials as JSON (nothing when it exists already); anything else runs the service.
switch (args.FirstOrDefault())
{
    case "migrate":
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args[1..]).Build();
        var connectionString = configuration.GetConnectionString("ControlPlane")
            ?? throw new InvalidOperationException("Set ConnectionStrings__ControlPlane to migrate.");
        await ControlPlaneDatabase.MigrateAsync(connectionString);
        Console.WriteLine("piramid-control-plane: migrations applied");
        return 0;
    case "bootstrap":
        await using (var app = ControlPlaneApp.Build(args[1..]))
        {
            await using var scope = app.Services.CreateAsyncScope();
            var created = await scope.ServiceProvider.GetRequiredService<OperatorBootstrapper>().EnsureBootstrapOperatorAsync();
            Console.WriteLine(created is null
                ? "{}"
                : System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["client_id"] = created.ClientId, ["client_secret"] = created.ClientSecret }));
        }

        return 0;
    default:
        ControlPlaneApp.Build(args).Run();
        return 0;
}
