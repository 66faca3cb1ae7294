using Piramid.ControlPlane.Data;
using Piramid.ControlPlane.Hosting;
using Piramid.ControlPlane.Identity;

// `migrate` applies the migrations; `bootstrap` creates the first operator client and the local gateway's
// client once and prints their credentials as JSON (`{}` when they exist already); `users` creates the local operator
// and demo users once (Demo/LocalUsers.cs); `portal-client` registers or updates the portal's public client
// (Identity/PortalClient.cs); anything else runs the service.
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
            var bootstrapper = scope.ServiceProvider.GetRequiredService<OperatorBootstrapper>();
            var created = await bootstrapper.EnsureBootstrapOperatorAsync();
            if (created is null)
            {
                Console.WriteLine("{}");
            }
            else
            {
                // The local gateway's machine client is created with the first operator, and printed with it once.
                var gateway = await bootstrapper.CreateMachineClientAsync("Local gateway", ["gateway"], clientId: "piramid-gateway");
                Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
                {
                    ["operator_client_id"] = created.ClientId,
                    ["operator_client_secret"] = created.ClientSecret,
                    ["gateway_client_id"] = gateway.ClientId,
                    ["gateway_client_secret"] = gateway.ClientSecret,
                }));
            }
        }

        return 0;
    case "portal-client":
        return await PortalClient.RunAsync(args[1..]);
    case "users":
        return await Piramid.ControlPlane.Demo.LocalUsers.RunAsync(args[1..]);
    case "demo":
        return await Piramid.ControlPlane.Demo.DemoSeeder.RunAsync(args[1..]);
    default:
        ControlPlaneApp.Build(args).Run();
        return 0;
}
