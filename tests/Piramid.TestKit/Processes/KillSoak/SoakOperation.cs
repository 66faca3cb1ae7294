namespace Piramid.TestKit.Processes.KillSoak;

/// <summary>One request of a lane: an upsert of new versions (overwriting or new ids) or a delete of ids.</summary>
/// <param name="Batch">Unique name, written into every point's metadata.</param>
/// <param name="IsDelete">Delete rather than upsert.</param>
/// <param name="Ids">Distinct point ids.</param>
/// <param name="Versions">For an upsert, the new version of each id (same order); empty for a delete.</param>
internal sealed record SoakOperation(string Batch, bool IsDelete, IReadOnlyList<string> Ids, IReadOnlyList<long> Versions)
{
    /// <summary>The state each id has once this operation applied.</summary>
    public PointState EffectOn(int index) => IsDelete ? PointState.Absent : new PointState(Versions[index], Batch);

    public override string ToString() => $"{(IsDelete ? "delete" : "upsert")} {Batch} of {Ids.Count} point(s)";
}
