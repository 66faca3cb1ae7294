using Microsoft.Extensions.Options;
using Piramid.Engine.Storage;

namespace Piramid.DataPlane.Hosting;

/// <summary>Checks <c>Engine:Durability</c> against the engine's grammar at start, so a setting it would refuse stops the process with the key named.</summary>
internal sealed class EngineDurabilityValidator : IValidateOptions<EngineHostOptions>
{
    public ValidateOptionsResult Validate(string? name, EngineHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            DurabilityPolicy.Parse(options.Durability);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"'{EngineHostOptions.Section}:{nameof(EngineHostOptions.Durability)}': {e.Message}");
        }
    }
}
