using Microsoft.Extensions.Options;

namespace Piramid.DataPlane.Hosting;

/// <summary>Source-generated validation of <see cref="EngineHostOptions"/> (no reflection, AOT-safe).</summary>
[OptionsValidator]
public sealed partial class EngineHostOptionsValidator : IValidateOptions<EngineHostOptions>
{
}
