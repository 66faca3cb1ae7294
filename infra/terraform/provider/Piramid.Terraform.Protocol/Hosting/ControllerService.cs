using Grpc.Core;
using Controller = Piramid.Terraform.Protocol.Wire.Plugin;

namespace Piramid.Terraform.Protocol.Hosting;

/// <summary>
/// go-plugin's <c>plugin.GRPCController</c>: Terraform calls Shutdown when it no longer needs the process.
/// Without it Terraform waits 2 s per provider process and then kills it.
/// </summary>
public sealed class ControllerService(IHostApplicationLifetime lifetime) : Controller.GRPCController.GRPCControllerBase
{
    /// <inheritdoc />
    public override Task<Controller.Empty> Shutdown(Controller.Empty request, ServerCallContext context)
    {
        // Stop after this answer has left: stopping first would cut the call Terraform waits on.
        context.GetHttpContext().Response.OnCompleted(() =>
        {
            lifetime.StopApplication();
            return Task.CompletedTask;
        });
        return Task.FromResult(new Controller.Empty());
    }
}
