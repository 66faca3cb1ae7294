namespace Piramid.Contracts.Accounts;

/// <summary>A tenant's members, oldest first.</summary>
public sealed class MemberList
{
    /// <summary>Members.</summary>
    public IReadOnlyList<MemberInfo> Members { get; set; } = [];
}
