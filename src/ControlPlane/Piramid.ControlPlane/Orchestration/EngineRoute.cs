using Piramid.ControlPlane.Data.Entities;

namespace Piramid.ControlPlane.Orchestration;

/// <summary>How to reach one tenant's engine.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="Endpoint">Base URL of the engine.</param>
/// <param name="EngineSecret">HMAC secret for the signed identity header (held in memory only; stored wrapped).</param>
/// <param name="State">What the orchestrator last saw.</param>
public sealed record EngineRoute(string TenantId, Uri Endpoint, byte[] EngineSecret, EngineState State);
