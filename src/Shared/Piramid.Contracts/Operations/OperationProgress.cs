namespace Piramid.Contracts.Operations;

/// <summary>How far an operation has come.</summary>
public sealed class OperationProgress
{
    /// <summary>0 to 100.</summary>
    public double Percent { get; set; }

    /// <summary>Bytes moved so far.</summary>
    public long Bytes { get; set; }

    /// <summary>Points handled so far (when the operation knows them).</summary>
    public long Points { get; set; }
}
