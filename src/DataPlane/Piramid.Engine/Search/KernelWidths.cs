namespace Piramid.Engine.Search;

/// <summary>
/// The vector widths a kernel may use, as a type argument: each check folds to a constant when the kernel is
/// compiled for the type, so production code (<see cref="AllWidths"/>) pays nothing, while tests can run every
/// narrower path of the same kernel on a machine whose widest path would otherwise hide them.
/// </summary>
internal interface IKernelWidths
{
    static abstract bool Allow512 { get; }

    static abstract bool Allow256 { get; }

    static abstract bool Allow128 { get; }
}

/// <summary>The widest the hardware accelerates: what the engine runs.</summary>
internal readonly struct AllWidths : IKernelWidths
{
    public static bool Allow512 => true;

    public static bool Allow256 => true;

    public static bool Allow128 => true;
}

/// <summary>At most 256-bit vectors (AVX2): the engine's path on x86-64-v3.</summary>
internal readonly struct UpTo256 : IKernelWidths
{
    public static bool Allow512 => false;

    public static bool Allow256 => true;

    public static bool Allow128 => true;
}

/// <summary>At most 128-bit vectors (SSE, Arm AdvSimd).</summary>
internal readonly struct UpTo128 : IKernelWidths
{
    public static bool Allow512 => false;

    public static bool Allow256 => false;

    public static bool Allow128 => true;
}

/// <summary>Scalar loops only: the reference every vector path must agree with.</summary>
internal readonly struct ScalarOnly : IKernelWidths
{
    public static bool Allow512 => false;

    public static bool Allow256 => false;

    public static bool Allow128 => false;
}
