using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Piramid.ControlPlane.Orchestration;

/// <summary>
/// The Native AOT engine is compiled for x86-64-v3 (AVX2, FMA, BMI1/2, LZCNT; see docs/design/hnsw.md): on a CPU
/// without them its runtime aborts before any engine code runs, so every engine would crash-loop. The control
/// plane runs on the JIT, which reports the real CPU, and refuses to start instead, saying why.
/// </summary>
internal static class EngineCpuRequirement
{
    /// <summary>The instruction set the engine's project file names in <c>IlcInstructionSet</c>.</summary>
    public const string InstructionSet = "x86-64-v3";

    /// <summary>
    /// The instruction-set extensions a native engine binary needs and this CPU lacks; empty for an engine run as
    /// <c>Piramid.DataPlane.dll</c> (the JIT uses what the CPU has) and on other architectures.
    /// </summary>
    public static IReadOnlyList<string> Missing(string engineBinary)
    {
        if (engineBinary.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return [];
        }

        var missing = new List<string>();
        Add(Avx2.IsSupported, "AVX2");
        Add(Fma.IsSupported, "FMA");
        Add(Bmi1.IsSupported, "BMI1");
        Add(Bmi2.IsSupported, "BMI2");
        Add(Lzcnt.IsSupported, "LZCNT");
        return missing;

        void Add(bool supported, string name)
        {
            if (!supported)
            {
                missing.Add(name);
            }
        }
    }
}
