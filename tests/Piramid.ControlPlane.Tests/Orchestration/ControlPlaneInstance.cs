using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Piramid.ControlPlane.Orchestration;

namespace Piramid.ControlPlane.Tests.Orchestration;

/// <summary>A running control-plane host; disposing it is a control-plane shutdown (engines keep running).</summary>
internal sealed class ControlPlaneInstance(WebApplication app) : IAsyncDisposable
{
    public LocalProcessOrchestrator Orchestrator { get; } = app.Services.GetRequiredService<LocalProcessOrchestrator>();

    public IEngineOrchestrator Contract => app.Services.GetRequiredService<IEngineOrchestrator>();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
